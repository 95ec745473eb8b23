/**
 * The revocation protocol endpoints relying parties use: the CRL ({@code /crl/<name>.crl}) and the
 * OCSP responder ({@code /ocsp}). Design notes: docs/certificates-revocation.md.
 */
package io.auditgate.web.revocation;
