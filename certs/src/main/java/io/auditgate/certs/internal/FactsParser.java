package io.auditgate.certs.internal;

import io.auditgate.certs.CertsException;
import io.auditgate.certs.x509.CertificateFacts;
import io.auditgate.certs.x509.DecodedCertificate;
import io.auditgate.certs.x509.KeyType;
import io.auditgate.certs.x509.SubjectAltNames;
import io.auditgate.certs.x509.Weakness;
import io.auditgate.core.ingest.DeviceCertificateUri;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/** Turns an {@link X509Certificate} into {@link CertificateFacts}. Stateless; thread-safe. */
public final class FactsParser {
  private static final String[] KEY_USAGE = {
    "digitalSignature",
    "nonRepudiation",
    "keyEncipherment",
    "dataEncipherment",
    "keyAgreement",
    "keyCertSign",
    "cRLSign",
    "encipherOnly",
    "decipherOnly"
  };
  private static final Map<String, String> EKU =
      Map.of(
          "1.3.6.1.5.5.7.3.1", "serverAuth",
          "1.3.6.1.5.5.7.3.2", "clientAuth",
          "1.3.6.1.5.5.7.3.3", "codeSigning",
          "1.3.6.1.5.5.7.3.4", "emailProtection",
          "1.3.6.1.5.5.7.3.8", "timeStamping",
          "1.3.6.1.5.5.7.3.9", "OCSPSigning",
          "2.5.29.37.0", "anyExtendedKeyUsage");

  private FactsParser() {}

  public static DecodedCertificate decode(byte[] der) {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> all =
          factory.generateCertificates(new ByteArrayInputStream(der));
      if (all.size() != 1 || !(all.iterator().next() instanceof X509Certificate c)) {
        return new DecodedCertificate.Invalid(
            "expected one X.509 certificate, found " + all.size());
      }
      return new DecodedCertificate.Certificate(c);
    } catch (CertificateException | RuntimeException e) {
      return new DecodedCertificate.Invalid("not a DER X.509 certificate: " + e.getMessage());
    }
  }

  /** Lower-case hex SHA-256 of the DER encoding. */
  public static String sha256Hex(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
      throw new CertsException("cannot fingerprint a certificate", e);
    }
  }

  public static CertificateFacts parse(X509Certificate c) {
    PublicKey key = c.getPublicKey();
    KeyType keyType = keyType(key);
    int keyBits = keyBits(key, keyType);
    String signature = c.getSigAlgName();
    SubjectAltNames sans = subjectAltNames(c);
    Optional<String> deviceId =
        sans.uris().stream()
            .map(DeviceCertificateUri::deviceId)
            .flatMap(Optional::stream)
            .findFirst();
    int basic = c.getBasicConstraints();
    return new CertificateFacts(
        sha256Hex(c),
        c.getSubjectX500Principal().getName(),
        c.getIssuerX500Principal().getName(),
        c.getSerialNumber().toString(16),
        sans,
        keyType,
        keyBits,
        keyType == KeyType.EC ? Optional.of(curve(key)) : Optional.empty(),
        signature,
        c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant(),
        basic >= 0,
        basic >= 0 && basic != Integer.MAX_VALUE ? Optional.of(basic) : Optional.empty(),
        keyUsage(c),
        extendedKeyUsage(c),
        selfSigned(c),
        deviceId,
        weaknesses(keyType, keyBits, signature));
  }

  static List<Weakness> weaknesses(KeyType keyType, int keyBits, String signatureAlgorithm) {
    List<Weakness> out = new ArrayList<>();
    if (keyType == KeyType.RSA && keyBits < 2048) {
      out.add(Weakness.RSA_KEY_UNDER_2048);
    }
    String sig = signatureAlgorithm.toUpperCase(Locale.ROOT).replace("-", "");
    if (sig.startsWith("SHA1")) {
      out.add(Weakness.SHA1_SIGNATURE);
    } else if (sig.startsWith("MD5") || sig.startsWith("MD2")) {
      out.add(Weakness.MD5_SIGNATURE);
    }
    return out;
  }

  private static KeyType keyType(PublicKey key) {
    return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "EC", "ECDSA" -> KeyType.EC;
      case "RSA" -> KeyType.RSA;
      case "ED25519" -> KeyType.ED25519;
      case "ED448" -> KeyType.ED448;
      case "EDDSA" -> key.getEncoded().length > 44 ? KeyType.ED448 : KeyType.ED25519;
      case "DSA" -> KeyType.DSA;
      default -> KeyType.OTHER;
    };
  }

  private static int keyBits(PublicKey key, KeyType type) {
    return switch (type) {
      case RSA -> ((RSAPublicKey) key).getModulus().bitLength();
      case EC -> ((ECPublicKey) key).getParams().getCurve().getField().getFieldSize();
      case DSA -> ((DSAPublicKey) key).getParams().getP().bitLength();
      case ED25519 -> 255;
      case ED448 -> 448;
      case OTHER -> 0;
    };
  }

  /** NIST name when there is one (P-256), else the SEC/X9.62 name, else the OID. */
  private static String curve(PublicKey key) {
    try {
      SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(key.getEncoded());
      if (info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier oid) {
        String nist = NISTNamedCurves.getName(oid);
        if (nist != null) {
          return nist;
        }
        String named = ECNamedCurveTable.getName(oid);
        return named != null ? named : oid.getId();
      }
      return "explicit";
    } catch (RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Parsed with Bouncy Castle rather than {@code getSubjectAlternativeNames()}: the JDK refuses the
   * whole extension when one name is malformed (a URI with a space), and the inventory must still
   * show the others.
   */
  private static SubjectAltNames subjectAltNames(X509Certificate c) {
    byte[] ext = c.getExtensionValue(Extension.subjectAlternativeName.getId());
    if (ext == null) {
      return SubjectAltNames.NONE;
    }
    List<String> dns = new ArrayList<>();
    List<String> ips = new ArrayList<>();
    List<String> uris = new ArrayList<>();
    List<String> emails = new ArrayList<>();
    try {
      GeneralNames names = GeneralNames.getInstance(ASN1OctetString.getInstance(ext).getOctets());
      for (GeneralName name : names.getNames()) {
        switch (name.getTagNo()) {
          case GeneralName.dNSName -> dns.add(text(name));
          case GeneralName.uniformResourceIdentifier -> uris.add(text(name));
          case GeneralName.rfc822Name -> emails.add(text(name));
          case GeneralName.iPAddress -> ips.add(ip(name));
          default -> {}
        }
      }
    } catch (RuntimeException | UnknownHostException e) {
      return new SubjectAltNames(dns, ips, uris, emails);
    }
    return new SubjectAltNames(dns, ips, uris, emails);
  }

  private static String text(GeneralName name) {
    return ((ASN1String) name.getName()).getString();
  }

  private static String ip(GeneralName name) throws UnknownHostException {
    return InetAddress.getByAddress(ASN1OctetString.getInstance(name.getName()).getOctets())
        .getHostAddress();
  }

  private static List<String> keyUsage(X509Certificate c) {
    boolean[] bits = c.getKeyUsage();
    List<String> out = new ArrayList<>();
    if (bits != null) {
      for (int i = 0; i < bits.length && i < KEY_USAGE.length; i++) {
        if (bits[i]) {
          out.add(KEY_USAGE[i]);
        }
      }
    }
    return out;
  }

  private static List<String> extendedKeyUsage(X509Certificate c) {
    try {
      List<String> oids = c.getExtendedKeyUsage();
      return oids == null ? List.of() : oids.stream().map(o -> EKU.getOrDefault(o, o)).toList();
    } catch (CertificateParsingException e) {
      return List.of();
    }
  }

  private static boolean selfSigned(X509Certificate c) {
    if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
      return false;
    }
    try {
      c.verify(c.getPublicKey());
      return true;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
