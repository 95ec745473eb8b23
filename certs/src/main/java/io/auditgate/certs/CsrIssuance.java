package io.auditgate.certs;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** What the CA did with a device's certificate signing request. */
public sealed interface CsrIssuance {
  /**
   * The CSR passed the policy and was signed.
   *
   * @param deviceId the device the certificate names
   * @param chain the new certificate, then the issuing CA (the root is left out, as TLS peers
   *     expect)
   */
  record Issued(String deviceId, List<X509Certificate> chain) implements CsrIssuance {
    public Issued {
      Objects.requireNonNull(deviceId, "deviceId");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("chain must hold the issued certificate");
      }
    }

    public X509Certificate certificate() {
      return chain.get(0);
    }
  }

  /**
   * The CSR was refused; nothing was signed.
   *
   * @param reason the reason, whose {@link CsrRefusal#code()} the client sees
   * @param message a sentence for a person: what was wrong and what to do
   */
  record Refused(CsrRefusal reason, String message) implements CsrIssuance {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
