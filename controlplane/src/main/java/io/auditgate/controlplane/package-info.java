/**
 * The certificate control plane: what the fleet's certificates are, where they are seen, who they
 * are bound to, whether they can still be trusted, and what to do about the ones that cannot. It
 * keeps its state in the store's tables (schema in the store's migrations), derives every status
 * from the certificates themselves and their revocation state, and is served by the web module and
 * wired by the app. Design notes: docs/certificates.md.
 */
package io.auditgate.controlplane;
