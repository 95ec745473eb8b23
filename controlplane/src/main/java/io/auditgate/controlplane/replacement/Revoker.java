package io.auditgate.controlplane.replacement;

import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * Revokes the certificate a replacement superseded. An interface so that the workflow can be tested
 * without a CA; {@link #through} is the real one.
 *
 * <p>Thread-safety: implementations are thread-safe and block on the store.
 */
@FunctionalInterface
public interface Revoker {
  /** No revocation service: every revocation fails with {@code no_revocation_service}. */
  Revoker NONE = (sha256, actor) -> new Result.Failed("no_revocation_service");

  /** Revokes {@code sha256} with reason {@code superseded}; idempotent. */
  Result revokeSuperseded(String sha256, String actor);

  /** What happened. */
  sealed interface Result {
    /** Revoked now ({@code already} false) or before ({@code already} true). */
    record Revoked(boolean already) implements Result {}

    /** Not revoked: {@code reason} says why. */
    record Failed(String reason) implements Result {
      public Failed {
        Objects.requireNonNull(reason, "reason");
      }
    }
  }

  /**
   * Through the revocation service, naming the certificate by its DER from the inventory (so that
   * the service needs no certificate source of its own).
   */
  static Revoker through(Revocations revocations, CertificateInventory inventory) {
    Objects.requireNonNull(revocations, "revocations");
    Objects.requireNonNull(inventory, "inventory");
    return (sha256, actor) -> {
      Optional<X509Certificate> certificate = inventory.detail(sha256).map(d -> parse(d.der()));
      if (certificate.isEmpty()) {
        return new Result.Failed("unknown_certificate");
      }
      RevokeOutcome outcome =
          revocations.revoke(
              new RevokeRequest(
                  new RevocationTarget.Certificate(certificate.get()),
                  "superseded",
                  actor,
                  Optional.of("replaced")));
      if (outcome instanceof RevokeOutcome.Revoked) {
        return new Result.Revoked(false);
      }
      if (outcome instanceof RevokeOutcome.AlreadyRevoked) {
        return new Result.Revoked(true);
      }
      if (outcome instanceof RevokeOutcome.NotIssuedHere) {
        return new Result.Failed("not_issued_here");
      }
      if (outcome instanceof RevokeOutcome.InvalidReason) {
        return new Result.Failed("invalid_reason");
      }
      return new Result.Failed("unknown_certificate");
    };
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalStateException("the inventory stored a DER that does not parse", e);
    }
  }
}
