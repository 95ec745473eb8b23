package io.auditgate.certs.x509;

import io.auditgate.certs.internal.FactsParser;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What one X.509 certificate says, parsed from the certificate itself (never typed in).
 *
 * @param sha256 SHA-256 of the DER encoding, 64 lower-case hex digits: the certificate's key in the
 *     inventory and in the fleet's bindings
 * @param subject the subject DN, RFC 2253
 * @param issuer the issuer DN, RFC 2253
 * @param serialHex the serial number, lower-case hex without leading zeros
 * @param subjectAltNames DNS, IP, URI and e-mail SANs
 * @param keyType the public key algorithm
 * @param keyBits RSA modulus / DSA prime length, EC field size, 255/448 for EdDSA
 * @param keyCurve the EC curve's name ({@code P-256}, {@code secp256k1}, or its OID) when EC
 * @param signatureAlgorithm the JCA name of the issuer's signature ({@code SHA256withECDSA})
 * @param notBefore start of validity
 * @param notAfter end of validity
 * @param ca whether basicConstraints says CA
 * @param pathLength the CA's path length constraint, if any
 * @param keyUsage key usage bits by RFC 5280 name ({@code digitalSignature}, {@code keyCertSign})
 * @param extendedKeyUsage EKU by short name ({@code serverAuth}, {@code clientAuth}) or OID
 * @param selfSigned whether issuer equals subject and the certificate verifies with its own key
 * @param deviceId the device the certificate names through its SAN URI {@code
 *     urn:auditgate:device:<id>}, if any
 * @param weaknesses weak key or signature properties, empty when none
 */
public record CertificateFacts(
    String sha256,
    String subject,
    String issuer,
    String serialHex,
    SubjectAltNames subjectAltNames,
    KeyType keyType,
    int keyBits,
    Optional<String> keyCurve,
    String signatureAlgorithm,
    Instant notBefore,
    Instant notAfter,
    boolean ca,
    Optional<Integer> pathLength,
    List<String> keyUsage,
    List<String> extendedKeyUsage,
    boolean selfSigned,
    Optional<String> deviceId,
    List<Weakness> weaknesses) {
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");
  private static final Pattern HEX = Pattern.compile("^[0-9a-f]+$");

  public CertificateFacts {
    Objects.requireNonNull(sha256, "sha256");
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got " + sha256);
    }
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialHex, "serialHex");
    if (!HEX.matcher(serialHex).matches()) {
      throw new IllegalArgumentException("serialHex must be lower-case hex, got " + serialHex);
    }
    Objects.requireNonNull(subjectAltNames, "subjectAltNames");
    Objects.requireNonNull(keyType, "keyType");
    if (keyBits < 0) {
      throw new IllegalArgumentException("keyBits must be >= 0, got " + keyBits);
    }
    Objects.requireNonNull(keyCurve, "keyCurve");
    Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(pathLength, "pathLength");
    keyUsage = List.copyOf(Objects.requireNonNull(keyUsage, "keyUsage"));
    extendedKeyUsage = List.copyOf(Objects.requireNonNull(extendedKeyUsage, "extendedKeyUsage"));
    Objects.requireNonNull(deviceId, "deviceId");
    weaknesses = List.copyOf(Objects.requireNonNull(weaknesses, "weaknesses"));
  }

  /** Parses a certificate. Pure; thread-safe. */
  public static CertificateFacts of(X509Certificate certificate) {
    return FactsParser.parse(Objects.requireNonNull(certificate, "certificate"));
  }

  /** From not-before to not-after. */
  public Duration lifetime() {
    return Duration.between(notBefore, notAfter);
  }

  /** Whether any weakness applies. */
  public boolean weak() {
    return !weaknesses.isEmpty();
  }
}
