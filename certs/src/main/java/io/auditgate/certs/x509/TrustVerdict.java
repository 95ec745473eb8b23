package io.auditgate.certs.x509;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Whether a certificate's chain leads to a configured trust anchor. */
public sealed interface TrustVerdict {
  /**
   * The chain leads to an anchor.
   *
   * @param path leaf first, the anchor last (just the leaf when the leaf is itself an anchor)
   */
  record Trusted(List<X509Certificate> path) implements TrustVerdict {
    public Trusted {
      path = List.copyOf(Objects.requireNonNull(path, "path"));
      if (path.isEmpty()) {
        throw new IllegalArgumentException("path must hold at least the leaf");
      }
    }
  }

  /** The chain does not lead to an anchor: {@code reason} is the code, {@code message} the why. */
  record Untrusted(Reason reason, String message) implements TrustVerdict {
    public Untrusted {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Why a chain is not trusted. */
  enum Reason {
    /** No anchor is configured, so nothing can be trusted. */
    NO_TRUST_ANCHORS,
    /** A self-signed certificate that is not one of the anchors. */
    SELF_SIGNED_UNKNOWN,
    /** No path from the certificate to an anchor through the known intermediates. */
    UNKNOWN_ISSUER,
    /** A signature in the chain does not verify. */
    INVALID_SIGNATURE,
    /** A certificate in the chain signs others without being a CA (or beyond its path length). */
    NOT_A_CA,
    /** An issuer in the chain is not valid while the leaf is. */
    ISSUER_NOT_VALID,
    /** An algorithm or key size the JDK's certpath constraints refuse. */
    ALGORITHM_CONSTRAINED,
    /** Any other failure of PKIX validation. */
    INVALID_CHAIN;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  default boolean trusted() {
    return this instanceof Trusted;
  }
}
