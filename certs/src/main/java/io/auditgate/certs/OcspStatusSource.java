package io.auditgate.certs;

import java.math.BigInteger;
import java.util.Optional;

/**
 * What the OCSP responder knows about the serials of its issuing CA: the revoked ones. A serial of
 * that CA that is not revoked is answered "good" (RFC 6960 §2.2 allows "good" to mean only "not
 * revoked"; auditgate does not keep a list of every serial it issued yet).
 *
 * <p>Thread-safety: implementations are called from web event loops and must not block for long.
 */
@FunctionalInterface
public interface OcspStatusSource {
  /** The revocation of {@code serial}, when it is revoked. */
  Optional<RevokedSerial> revoked(BigInteger serial);
}
