package io.auditgate.certs.x509;

import io.auditgate.certs.internal.FactsParser;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** The outcome of decoding bytes that should be one DER certificate. */
public sealed interface DecodedCertificate {
  /** The bytes are a certificate. */
  record Certificate(X509Certificate certificate) implements DecodedCertificate {
    public Certificate {
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /** The bytes are not a certificate; {@code reason} says why in a sentence. */
  record Invalid(String reason) implements DecodedCertificate {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Decodes one DER certificate. Pure; thread-safe. */
  static DecodedCertificate der(byte[] der) {
    return FactsParser.decode(Objects.requireNonNull(der, "der"));
  }
}
