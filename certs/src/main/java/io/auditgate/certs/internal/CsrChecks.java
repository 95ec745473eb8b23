package io.auditgate.certs.internal;

import io.auditgate.certs.CsrIssuance;
import io.auditgate.certs.CsrKeyType;
import io.auditgate.certs.CsrPolicy;
import io.auditgate.certs.CsrRefusal;
import io.auditgate.core.ingest.DeviceCertificateUri;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.Attribute;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * Decides whether a PKCS#10 certificate signing request may become a device certificate: it parses
 * (PEM or DER, nothing trailing), its key is of an allowed type and size, its self-signature uses
 * no broken digest (MD5, SHA-1) and verifies with that key (proof of possession), and every name it
 * asks for is the authorised device's id. The CA takes only the public key from an accepted CSR;
 * requested extensions are ignored, so a CSR can never ask its way to another EKU, a CA flag or a
 * longer life.
 *
 * <p>Thread-safety: stateless.
 */
public final class CsrChecks {
  /** Far above any real CSR (an RSA-4096 CSR is under 2 KiB) and small enough to parse safely. */
  public static final int MAX_CSR_BYTES = 64 * 1024;

  private static final Provider BC = BouncyCastle.PROVIDER;

  private CsrChecks() {}

  /** What the checks found. */
  public sealed interface Result {}

  /** A CSR that passed every check: its key, to be certified. */
  public record Accepted(PublicKey publicKey) implements Result {}

  /** The first check that failed. */
  public record Rejected(CsrIssuance.Refused refusal) implements Result {}

  /**
   * Checks {@code csr} for {@code deviceId}.
   *
   * @return {@link Accepted}, or {@link Rejected} with the first check that failed
   */
  public static Result check(byte[] csr, String deviceId, CsrPolicy policy) {
    Optional<PKCS10CertificationRequest> parsed = parse(csr);
    if (parsed.isEmpty()) {
      return rejected(
          CsrRefusal.MALFORMED,
          "the body is not a PKCS#10 certificate signing request (DER, or PEM 'CERTIFICATE"
              + " REQUEST') of at most "
              + MAX_CSR_BYTES
              + " bytes");
    }
    PKCS10CertificationRequest request = parsed.get();
    SubjectPublicKeyInfo spki = request.getSubjectPublicKeyInfo();
    CsrIssuance.Refused keyProblem = checkKey(spki, policy);
    if (keyProblem != null) {
      return new Rejected(keyProblem);
    }
    CsrIssuance.Refused digestProblem = checkSignatureAlgorithm(request.getSignatureAlgorithm());
    if (digestProblem != null) {
      return new Rejected(digestProblem);
    }
    try {
      if (!request.isSignatureValid(
          new JcaContentVerifierProviderBuilder().setProvider(BC).build(spki))) {
        return rejected(
            CsrRefusal.BAD_SIGNATURE,
            "the CSR's signature does not verify with its own public key (no proof of possession)");
      }
    } catch (Exception e) {
      // Unknown signature algorithms and corrupt signature encodings land here: the same refusal.
      return rejected(
          CsrRefusal.BAD_SIGNATURE, "the CSR's signature cannot be verified: " + e.getMessage());
    }
    CsrIssuance.Refused nameProblem = checkNames(request, deviceId);
    if (nameProblem != null) {
      return new Rejected(nameProblem);
    }
    try {
      return new Accepted(new JcaPEMKeyConverter().getPublicKey(spki));
    } catch (IOException e) {
      return rejected(CsrRefusal.MALFORMED, "the CSR's public key cannot be decoded");
    }
  }

  /** The request in PEM or DER, or empty when it is neither or has bytes after it. */
  static Optional<PKCS10CertificationRequest> parse(byte[] csr) {
    if (csr == null || csr.length == 0 || csr.length > MAX_CSR_BYTES) {
      return Optional.empty();
    }
    try {
      String start = new String(csr, 0, Math.min(csr.length, 64), StandardCharsets.US_ASCII);
      if (start.stripLeading().startsWith("-----BEGIN")) {
        try (PEMParser pem =
            new PEMParser(new StringReader(new String(csr, StandardCharsets.US_ASCII)))) {
          Object object = pem.readObject();
          return object instanceof PKCS10CertificationRequest request
              ? Optional.of(request)
              : Optional.empty();
        }
      }
      // fromByteArray refuses trailing bytes, so one DER object is the whole body.
      ASN1Primitive primitive = ASN1Primitive.fromByteArray(csr);
      return Optional.of(
          new PKCS10CertificationRequest(CertificationRequest.getInstance(primitive)));
    } catch (IOException | RuntimeException e) {
      // Bouncy Castle reports hostile ASN.1 as IOException, IllegalArgumentException or
      // IllegalStateException depending on where it breaks; all mean "not a CSR".
      return Optional.empty();
    }
  }

  private static CsrIssuance.Refused checkKey(SubjectPublicKeyInfo spki, CsrPolicy policy) {
    ASN1ObjectIdentifier algorithm = spki.getAlgorithm().getAlgorithm();
    try {
      if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        ASN1Encodable parameters = spki.getAlgorithm().getParameters();
        CsrKeyType type = null;
        if (SECObjectIdentifiers.secp256r1.equals(parameters)) {
          type = CsrKeyType.EC_P256;
        } else if (SECObjectIdentifiers.secp384r1.equals(parameters)) {
          type = CsrKeyType.EC_P384;
        }
        if (type == null || !policy.allowedKeys().contains(type)) {
          return refused(
              CsrRefusal.KEY_NOT_ALLOWED,
              "the EC curve "
                  + (parameters == null ? "(none named)" : parameters)
                  + " is not allowed; allowed keys: "
                  + allowed(policy));
        }
        return null;
      }
      if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        if (!policy.allowedKeys().contains(CsrKeyType.RSA)) {
          return refused(
              CsrRefusal.KEY_NOT_ALLOWED, "RSA keys are not allowed; allowed: " + allowed(policy));
        }
        int bits = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
        if (bits < policy.minimumRsaBits()) {
          return refused(
              CsrRefusal.KEY_TOO_WEAK,
              "an RSA key of "
                  + bits
                  + " bits is too weak; at least "
                  + policy.minimumRsaBits()
                  + " bits are required");
        }
        return null;
      }
    } catch (IOException | RuntimeException e) {
      return refused(CsrRefusal.MALFORMED, "the CSR's public key cannot be decoded");
    }
    return refused(
        CsrRefusal.KEY_NOT_ALLOWED,
        "the key algorithm " + algorithm + " is not allowed; allowed keys: " + allowed(policy));
  }

  /**
   * Signature algorithms over digests with practical collisions (MD2, MD4, MD5, SHA-1). Checked by
   * OID before the signature is verified, so the refusal names the real problem rather than "cannot
   * be verified" where a provider no longer offers the algorithm.
   */
  private static final Map<ASN1ObjectIdentifier, String> WEAK_SIGNATURES =
      Map.of(
          PKCSObjectIdentifiers.md2WithRSAEncryption, "MD2withRSA",
          PKCSObjectIdentifiers.md4WithRSAEncryption, "MD4withRSA",
          PKCSObjectIdentifiers.md5WithRSAEncryption, "MD5withRSA",
          PKCSObjectIdentifiers.sha1WithRSAEncryption, "SHA1withRSA",
          X9ObjectIdentifiers.ecdsa_with_SHA1, "SHA1withECDSA",
          X9ObjectIdentifiers.id_dsa_with_sha1, "SHA1withDSA",
          OIWObjectIdentifiers.sha1WithRSA, "SHA1withRSA (OIW)");

  private static CsrIssuance.Refused checkSignatureAlgorithm(AlgorithmIdentifier algorithm) {
    ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
    String weak = WEAK_SIGNATURES.get(oid);
    if (weak == null && oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
      try {
        // Absent parameters mean the RFC 4055 defaults, whose hash is SHA-1.
        ASN1Encodable parameters = algorithm.getParameters();
        RSASSAPSSparams pss =
            parameters == null || parameters instanceof DERNull
                ? new RSASSAPSSparams()
                : RSASSAPSSparams.getInstance(parameters);
        ASN1ObjectIdentifier hash = pss.getHashAlgorithm().getAlgorithm();
        if (hash.equals(OIWObjectIdentifiers.idSHA1) || hash.equals(PKCSObjectIdentifiers.md5)) {
          weak = "RSASSA-PSS with " + (hash.equals(OIWObjectIdentifiers.idSHA1) ? "SHA-1" : "MD5");
        }
      } catch (RuntimeException e) {
        return refused(CsrRefusal.MALFORMED, "the CSR's RSASSA-PSS parameters cannot be decoded");
      }
    }
    if (weak == null) {
      return null;
    }
    return refused(
        CsrRefusal.WEAK_SIGNATURE,
        "the CSR is signed with "
            + weak
            + ", a broken digest; sign it with SHA-256 or stronger (for example SHA256withECDSA)");
  }

  private static CsrIssuance.Refused checkNames(
      PKCS10CertificationRequest request, String deviceId) {
    List<String> commonNames = new ArrayList<>();
    for (RDN rdn : request.getSubject().getRDNs(BCStyle.CN)) {
      // Every value, not just the first: a multi-valued RDN could otherwise hide a second CN.
      for (AttributeTypeAndValue value : rdn.getTypesAndValues()) {
        if (value.getType().equals(BCStyle.CN)) {
          commonNames.add(IETFUtils.valueToString(value.getValue()));
        }
      }
    }
    List<GeneralName> sans = new ArrayList<>();
    try {
      for (Attribute attribute :
          request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
        for (ASN1Encodable value : attribute.getAttrValues()) {
          GeneralNames names =
              GeneralNames.fromExtensions(
                  Extensions.getInstance(value), Extension.subjectAlternativeName);
          if (names != null) {
            sans.addAll(List.of(names.getNames()));
          }
        }
      }
    } catch (RuntimeException e) {
      return refused(CsrRefusal.MALFORMED, "the CSR's requested extensions cannot be decoded");
    }
    if (commonNames.size() > 1) {
      return refused(
          CsrRefusal.IDENTITY_MISMATCH,
          "the subject holds " + commonNames.size() + " CNs; a device CSR names exactly one");
    }
    boolean deviceUri = false;
    for (GeneralName name : sans) {
      if (name.getTagNo() != GeneralName.uniformResourceIdentifier) {
        return refused(
            CsrRefusal.UNEXPECTED_NAME,
            "the CSR asks for the subject alternative name "
                + name
                + "; device certificates carry only the URI "
                + DeviceCertificateUri.PREFIX
                + "<id>");
      }
      String uri = name.getName().toString();
      if (!DeviceCertificateUri.isDeviceUri(uri)) {
        return refused(
            CsrRefusal.UNEXPECTED_NAME,
            "the CSR asks for the URI "
                + uri
                + "; device certificates carry only "
                + DeviceCertificateUri.PREFIX
                + "<id>");
      }
      if (!uri.equals(DeviceCertificateUri.PREFIX + deviceId)) {
        return refused(
            CsrRefusal.IDENTITY_MISMATCH,
            "the CSR names " + uri + " but the caller is authorised for device " + deviceId);
      }
      deviceUri = true;
    }
    if (commonNames.size() == 1 && !commonNames.get(0).equals(deviceId)) {
      return refused(
          CsrRefusal.IDENTITY_MISMATCH,
          "the CSR's subject CN is '"
              + commonNames.get(0)
              + "' but the caller is authorised for device "
              + deviceId);
    }
    if (commonNames.isEmpty() && !deviceUri) {
      return refused(
          CsrRefusal.IDENTITY_MISSING,
          "the CSR names no device: give the subject CN="
              + deviceId
              + " and/or the SAN URI "
              + DeviceCertificateUri.PREFIX
              + deviceId);
    }
    return null;
  }

  private static String allowed(CsrPolicy policy) {
    return policy.allowedKeys().stream().map(CsrKeyType::label).sorted().toList().toString();
  }

  private static Rejected rejected(CsrRefusal reason, String message) {
    return new Rejected(refused(reason, message));
  }

  private static CsrIssuance.Refused refused(CsrRefusal reason, String message) {
    return new CsrIssuance.Refused(reason, message);
  }
}
