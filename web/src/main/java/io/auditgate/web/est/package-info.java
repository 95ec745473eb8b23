/**
 * Enrolment over Secure Transport (RFC 7030) for devices: {@code /.well-known/est/cacerts}, {@code
 * simpleenroll} and {@code simplereenroll}. Design notes: docs/certificates-enrolment.md.
 */
package io.auditgate.web.est;
