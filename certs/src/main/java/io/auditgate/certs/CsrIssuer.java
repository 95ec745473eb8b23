package io.auditgate.certs;

import io.auditgate.certs.internal.CsrChecks;
import io.auditgate.core.telemetry.Telemetry;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * Issues device certificates from PKCS#10 certificate signing requests under a {@link CsrPolicy},
 * with the built-in CA's issuing key: the device keeps its private key, the CA certifies the public
 * key after checking the request (see {@link CsrRefusal} for every refusal).
 *
 * <p>What is issued does not depend on what the CSR asks beyond its key: subject {@code CN=<id>},
 * SAN URI {@code urn:auditgate:device:<id>}, EKU clientAuth, basicConstraints CA=false, a random
 * 159-bit serial, valid from {@link Validity#CLOCK_SKEW} before now for the policy's lifetime, and
 * the CRL distribution point and OCSP responder of its {@link RevocationPointers} when it has them.
 *
 * <p>Thread-safety: immutable; {@link #issue} may be called from any thread. It does no I/O and
 * does not block beyond the signature (well under a millisecond for ECDSA P-256).
 */
public final class CsrIssuer {
  private final DevCertificateAuthority ca;
  private final CsrPolicy policy;
  private final RevocationPointers pointers;

  CsrIssuer(DevCertificateAuthority ca, CsrPolicy policy, RevocationPointers pointers) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.pointers = Objects.requireNonNull(pointers, "pointers");
  }

  /**
   * Checks {@code csr} against the policy for {@code deviceId}, the one device the caller is
   * authorised for, and signs it if it passes.
   *
   * @param csr a PKCS#10 request, DER or PEM
   * @param deviceId the device id the caller proved it may act for
   * @return {@link CsrIssuance.Issued} or {@link CsrIssuance.Refused}; never throws for bad input
   * @throws IllegalArgumentException if {@code deviceId} is not a device id (a caller's bug)
   */
  public CsrIssuance issue(byte[] csr, String deviceId) {
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
    CsrChecks.Result checked = CsrChecks.check(csr, deviceId, policy);
    if (checked instanceof CsrChecks.Rejected rejected) {
      return rejected.refusal();
    }
    CsrChecks.Accepted accepted = (CsrChecks.Accepted) checked;
    X509Certificate certificate =
        ca.signDevice(
            deviceId,
            accepted.publicKey(),
            Validity.of(policy.deviceCertificateLifetime()),
            pointers);
    return new CsrIssuance.Issued(deviceId, List.of(certificate, ca.issuingCertificate()));
  }

  public CsrPolicy policy() {
    return policy;
  }

  /**
   * The CA certificates clients should hold: the issuing CA, then the root (EST's {@code
   * /cacerts}).
   */
  public List<X509Certificate> caCertificates() {
    return List.of(ca.issuingCertificate(), ca.rootCertificate());
  }

  /** Checks device certificates against this CA's root. */
  public DeviceCertificateVerifier verifier() {
    return new DeviceCertificateVerifier(List.of(ca.rootCertificate()));
  }
}
