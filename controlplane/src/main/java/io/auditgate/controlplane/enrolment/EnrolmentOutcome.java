package io.auditgate.controlplane.enrolment;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** What an enrolment request came to. */
public sealed interface EnrolmentOutcome {
  /**
   * A certificate was issued and recorded (and, for a token, the token consumed).
   *
   * @param record the issuance as recorded
   * @param chain the new certificate first, then the issuing CA
   */
  record Issued(IssuanceRecord record, List<X509Certificate> chain) implements EnrolmentOutcome {
    public Issued {
      Objects.requireNonNull(record, "record");
      chain = List.copyOf(chain);
      if (chain.isEmpty()) {
        throw new IllegalArgumentException("chain must hold the issued certificate");
      }
    }

    public X509Certificate certificate() {
      return chain.get(0);
    }
  }

  /** Refused; nothing was issued, recorded or consumed. */
  record Refused(EnrolmentRefusal refusal) implements EnrolmentOutcome {
    public Refused {
      Objects.requireNonNull(refusal, "refusal");
    }
  }
}
