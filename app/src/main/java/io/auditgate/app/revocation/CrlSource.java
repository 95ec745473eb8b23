package io.auditgate.app.revocation;

import java.io.IOException;

/**
 * Where the gateway gets the current CRL (DER): the control plane's {@code /crl} URL, or the
 * published CRL in the store when the node has one.
 *
 * <p>Thread-safety: called from one background thread; may block (bounded by its own timeouts).
 */
@FunctionalInterface
public interface CrlSource {
  /**
   * @throws IOException when the CRL cannot be fetched now (retried at the next refresh)
   */
  byte[] fetch() throws IOException;
}
