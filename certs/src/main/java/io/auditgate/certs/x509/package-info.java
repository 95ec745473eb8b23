/**
 * X.509 facts: what a certificate says (parsed once from its DER, {@link
 * io.auditgate.certs.x509.CertificateFacts}), whether its chain leads to a configured trust anchor
 * ({@link io.auditgate.certs.x509.ChainValidator}), and reading certificates out of PEM, DER,
 * PKCS#12 and JKS files ({@link io.auditgate.certs.x509.CertificateFiles}). No database, no
 * network: the control plane's inventory builds on these.
 */
package io.auditgate.certs.x509;
