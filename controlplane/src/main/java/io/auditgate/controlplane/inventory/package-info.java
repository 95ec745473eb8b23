/**
 * The certificate inventory: every certificate known from any source (listeners, scanned endpoints,
 * imported files, issuance), parsed from its X.509, with where and when it was seen, what it is
 * bound to, its renewal workflow and its status derived from the certificate, the clock and the
 * revocation view. Design: docs/certificates-inventory.md.
 */
package io.auditgate.controlplane.inventory;
