package io.auditgate.certs;

import java.security.cert.X509Certificate;
import java.util.Objects;

/** Whether a presented certificate chain is a valid device certificate of a trusted CA. */
public sealed interface DeviceCertificateCheck {
  /**
   * @param deviceId the device its SAN URI names
   * @param certificate the leaf
   */
  record Valid(String deviceId, X509Certificate certificate) implements DeviceCertificateCheck {
    public Valid {
      Objects.requireNonNull(deviceId, "deviceId");
      Objects.requireNonNull(certificate, "certificate");
    }
  }

  /**
   * @param code {@code certificate_missing}, {@code certificate_untrusted}, {@code
   *     certificate_expired}, {@code certificate_not_yet_valid} or {@code certificate_not_device}
   * @param message a sentence for a person
   */
  record Invalid(String code, String message) implements DeviceCertificateCheck {
    public Invalid {
      Objects.requireNonNull(code, "code");
      Objects.requireNonNull(message, "message");
    }
  }
}
