/**
 * Enrolment: one-time enrolment tokens, issuance of device certificates from CSRs (EST simpleenroll
 * and simplereenroll, offline issuance by an operator), and the record of every certificate issued.
 * Design notes: docs/certificates-enrolment.md.
 */
package io.auditgate.controlplane.enrolment;
