/**
 * Revocation wiring: the gateway's CRL snapshot and revoked-session sweep, and the control plane's
 * revocation service with its CRL schedule and HTTP routes. Design notes:
 * docs/certificates-revocation.md.
 */
package io.auditgate.app.revocation;
