package io.auditgate.certs;

import io.auditgate.core.ingest.DeviceCertificateUri;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Checks a device certificate chain the way a listener would (PKIX path to one of the trust anchors
 * at a given instant, EKU clientAuth) and reads the device id from its SAN URI. Revocation is not
 * checked here: it is state, kept by the control plane, not by the certificate.
 *
 * <p>Thread-safety: immutable; may be used from any thread; does no I/O.
 */
public final class DeviceCertificateVerifier {
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int SAN_URI = 6;

  private final Set<TrustAnchor> anchors;

  /**
   * @param anchors the root certificates a device chain must lead to; at least one
   */
  public DeviceCertificateVerifier(List<X509Certificate> anchors) {
    if (anchors.isEmpty()) {
      throw new IllegalArgumentException("at least one trust anchor is required");
    }
    Set<TrustAnchor> set = new HashSet<>();
    anchors.forEach(a -> set.add(new TrustAnchor(Objects.requireNonNull(a, "anchor"), null)));
    this.anchors = Set.copyOf(set);
  }

  /**
   * @param chain the leaf first, then any intermediates (a root at the end is tolerated)
   * @param at the instant the chain must be valid at (the caller's clock)
   */
  public DeviceCertificateCheck verify(List<X509Certificate> chain, Instant at) {
    if (chain.isEmpty()) {
      return new DeviceCertificateCheck.Invalid(
          "certificate_missing", "no client certificate was presented");
    }
    X509Certificate leaf = chain.get(0);
    List<X509Certificate> path = new ArrayList<>(chain);
    // PKIX wants the path without its anchor.
    path.removeIf(c -> anchors.stream().anyMatch(a -> a.getTrustedCert().equals(c)));
    if (path.isEmpty()) {
      return new DeviceCertificateCheck.Invalid(
          "certificate_not_device", "the presented certificate is a CA, not a device certificate");
    }
    try {
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      parameters.setDate(Date.from(at));
      CertPathValidator.getInstance("PKIX")
          .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), parameters);
    } catch (CertPathValidatorException e) {
      if (e.getReason() == BasicReason.EXPIRED) {
        return new DeviceCertificateCheck.Invalid(
            "certificate_expired", "the certificate (or its issuer) has expired");
      }
      if (e.getReason() == BasicReason.NOT_YET_VALID) {
        return new DeviceCertificateCheck.Invalid(
            "certificate_not_yet_valid", "the certificate (or its issuer) is not valid yet");
      }
      return new DeviceCertificateCheck.Invalid(
          "certificate_untrusted", "the certificate does not chain to this CA: " + e.getMessage());
    } catch (InvalidAlgorithmParameterException e) {
      throw new CertsException("cannot set up certificate path validation", e);
    } catch (GeneralSecurityException e) {
      return new DeviceCertificateCheck.Invalid(
          "certificate_untrusted", "the certificate chain cannot be validated: " + e.getMessage());
    }
    try {
      List<String> usages = leaf.getExtendedKeyUsage();
      if (usages == null || !usages.contains(CLIENT_AUTH)) {
        return new DeviceCertificateCheck.Invalid(
            "certificate_not_device", "the certificate is not for TLS client authentication");
      }
      Optional<String> deviceId = deviceId(leaf);
      if (deviceId.isEmpty()) {
        return new DeviceCertificateCheck.Invalid(
            "certificate_not_device",
            "the certificate has no SAN URI " + DeviceCertificateUri.PREFIX + "<id>");
      }
      return new DeviceCertificateCheck.Valid(deviceId.get(), leaf);
    } catch (CertificateParsingException e) {
      return new DeviceCertificateCheck.Invalid(
          "certificate_not_device", "the certificate's extensions cannot be read");
    }
  }

  /** The device id of the first device SAN URI, if there is exactly one device URI. */
  static Optional<String> deviceId(X509Certificate certificate) throws CertificateParsingException {
    Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
    if (sans == null) {
      return Optional.empty();
    }
    List<String> ids = new ArrayList<>();
    for (List<?> san : sans) {
      if (((Integer) san.get(0)) == SAN_URI) {
        DeviceCertificateUri.deviceId((String) san.get(1)).ifPresent(ids::add);
      }
    }
    return ids.size() == 1 ? Optional.of(ids.get(0)) : Optional.empty();
  }
}
