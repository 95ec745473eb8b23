package io.auditgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.testkit.Openssl;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.X509ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsrIssuerTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int SAN_URI = 6;

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;
  private static CsrIssuer issuer;
  private static KeyPair p256;

  @BeforeAll
  static void createCa() throws Exception {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    issuer = ca.csrIssuer(CsrPolicy.defaults().withLifetime(Duration.ofDays(30)));
    p256 = ec("secp256r1");
  }

  @Test
  void anAcceptedCsrBecomesADeviceCertificateForTheCsrsKey() throws Exception {
    CsrIssuance result = issuer.issue(DeviceCsr.create("dev-1", p256), "dev-1");

    CsrIssuance.Issued issued = (CsrIssuance.Issued) result;
    X509Certificate cert = issued.certificate();
    assertThat(issued.deviceId()).isEqualTo("dev-1");
    assertThat(issued.chain()).containsExactly(cert, ca.issuingCertificate());
    assertThat(cert.getPublicKey()).isEqualTo(p256.getPublic());
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=dev-1");
    assertThat(uris(cert)).containsExactly("urn:auditgate:device:dev-1");
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Validity.CLOCK_SKEW));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    BigInteger serial = cert.getSerialNumber();
    assertThat(serial.signum()).isPositive();
    assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
    cert.verify(ca.issuingCertificate().getPublicKey());
    assertThat(issuer.verifier().verify(issued.chain(), NOW))
        .isEqualTo(new DeviceCertificateCheck.Valid("dev-1", cert));
  }

  @Test
  void p384AndRsa2048KeysPemEncodingAndEitherNameAloneAreAccepted() throws Exception {
    KeyPair p384 = ec("secp384r1");
    assertThat(issuer.issue(DeviceCsr.create("dev-2", p384), "dev-2"))
        .isInstanceOf(CsrIssuance.Issued.class);
    KeyPair rsa = rsa(2048);
    assertThat(issuer.issue(DeviceCsr.create("dev-3", rsa), "dev-3"))
        .isInstanceOf(CsrIssuance.Issued.class);
    String pem =
        "-----BEGIN CERTIFICATE REQUEST-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(DeviceCsr.create("dev-4", p256))
            + "\n-----END CERTIFICATE REQUEST-----\n";
    assertThat(issuer.issue(pem.getBytes(StandardCharsets.US_ASCII), "dev-4"))
        .isInstanceOf(CsrIssuance.Issued.class);
    assertThat(issuer.issue(csr(p256, p256, "CN=dev-5"), "dev-5"))
        .isInstanceOf(CsrIssuance.Issued.class);
    CsrIssuance sanOnly =
        issuer.issue(csr(p256, p256, "O=Acme", uri("urn:auditgate:device:dev-6")), "dev-6");
    assertThat(sanOnly).isInstanceOf(CsrIssuance.Issued.class);
    // The issued subject is the CA's choice, not the request's O=Acme.
    assertThat(((CsrIssuance.Issued) sanOnly).certificate().getSubjectX500Principal().getName())
        .isEqualTo("CN=dev-6");
  }

  @Test
  void malformedInputIsRefusedAsMalformed() {
    byte[] good = DeviceCsr.create("dev-1", p256);
    byte[] trailing = Arrays.copyOf(good, good.length + 1);
    List<byte[]> bad =
        List.of(
            new byte[0],
            "hello".getBytes(StandardCharsets.US_ASCII),
            Arrays.copyOf(good, good.length - 10),
            trailing,
            "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n"
                .getBytes(StandardCharsets.US_ASCII),
            CertificateBundles.pem(List.of(ca.rootCertificate()))
                .getBytes(StandardCharsets.US_ASCII),
            new byte[io.auditgate.certs.internal.CsrChecks.MAX_CSR_BYTES + 1]);
    for (byte[] body : bad) {
      assertThat(issuer.issue(body, "dev-1"))
          .as("%d bytes", body.length)
          .isInstanceOfSatisfying(
              CsrIssuance.Refused.class,
              r -> assertThat(r.reason()).isEqualTo(CsrRefusal.MALFORMED));
    }
  }

  @Test
  void aSignatureThatDoesNotVerifyIsNoProofOfPossession() throws Exception {
    KeyPair other = ec("secp256r1");
    // The public key of one pair, signed by another's private key.
    assertRefused(csr(p256, other, "CN=dev-1"), "dev-1", CsrRefusal.BAD_SIGNATURE);
    byte[] flipped = DeviceCsr.create("dev-1", p256);
    flipped[flipped.length - 5] ^= 0x01;
    assertRefused(flipped, "dev-1", CsrRefusal.BAD_SIGNATURE);
  }

  @Test
  void weakAndDisallowedKeysAreRefused() throws Exception {
    assertRefused(DeviceCsr.create("dev-1", rsa(1024)), "dev-1", CsrRefusal.KEY_TOO_WEAK);
    assertRefused(csr(ec("secp521r1"), null, "CN=dev-1"), "dev-1", CsrRefusal.KEY_NOT_ALLOWED);
    CsrIssuer ecOnly =
        ca.csrIssuer(
            new CsrPolicy(EnumSet.of(CsrKeyType.EC_P256), 2048, CsrPolicy.DEFAULT_LIFETIME));
    assertThat(ecOnly.issue(DeviceCsr.create("dev-1", rsa(2048)), "dev-1"))
        .isInstanceOfSatisfying(
            CsrIssuance.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(CsrRefusal.KEY_NOT_ALLOWED));
    assertThat(ecOnly.issue(DeviceCsr.create("dev-1", ec("secp384r1")), "dev-1"))
        .isInstanceOfSatisfying(
            CsrIssuance.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(CsrRefusal.KEY_NOT_ALLOWED));
    CsrIssuer rsa3072 =
        ca.csrIssuer(new CsrPolicy(EnumSet.of(CsrKeyType.RSA), 3072, CsrPolicy.DEFAULT_LIFETIME));
    assertThat(rsa3072.issue(DeviceCsr.create("dev-1", rsa(2048)), "dev-1"))
        .isInstanceOfSatisfying(
            CsrIssuance.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(CsrRefusal.KEY_TOO_WEAK));
  }

  @Test
  void aCsrSignedOverABrokenDigestIsRefusedAsWeak() throws Exception {
    KeyPair rsa = rsa(2048);
    assertRefused(csr(rsa, null, "CN=dev-1", "SHA1withRSA"), "dev-1", CsrRefusal.WEAK_SIGNATURE);
    assertRefused(csr(rsa, null, "CN=dev-1", "MD5withRSA"), "dev-1", CsrRefusal.WEAK_SIGNATURE);
    assertRefused(csr(p256, null, "CN=dev-1", "SHA1withECDSA"), "dev-1", CsrRefusal.WEAK_SIGNATURE);
    assertRefused(
        csr(rsa, null, "CN=dev-1", "SHA1withRSAandMGF1"), "dev-1", CsrRefusal.WEAK_SIGNATURE);
    // the same keys over SHA-256 (PSS too) are fine
    assertThat(issuer.issue(csr(rsa, null, "CN=dev-1", "SHA256withRSAandMGF1"), "dev-1"))
        .isInstanceOf(CsrIssuance.Issued.class);
    assertThat(issuer.issue(csr(p256, null, "CN=dev-1", "SHA384withECDSA"), "dev-1"))
        .isInstanceOf(CsrIssuance.Issued.class);
    assertThat(CsrRefusal.WEAK_SIGNATURE.code()).isEqualTo("csr_weak_signature");
  }

  @Test
  void aSha1CsrMadeByOpensslIsRefusedAsWeak() throws Exception {
    Path work = Files.createDirectories(dir.resolve("openssl-sha1"));
    Openssl.requireVersion3(work);
    Openssl.Run key =
        Openssl.run(work, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "k.pem");
    assertThat(key.exitCode()).as(key.output()).isZero();
    for (String digest : new String[] {"-sha1", "-sha256"}) {
      Openssl.Run req =
          Openssl.run(
              work,
              "req",
              "-new",
              digest,
              "-key",
              "k.pem",
              "-subj",
              "/CN=dev-1",
              "-outform",
              "PEM",
              "-out",
              "r" + digest + ".pem");
      assertThat(req.exitCode()).as(req.output()).isZero();
    }
    CsrIssuance sha1 = issuer.issue(Files.readAllBytes(work.resolve("r-sha1.pem")), "dev-1");
    assertThat(sha1)
        .isInstanceOfSatisfying(
            CsrIssuance.Refused.class,
            r -> {
              assertThat(r.reason()).isEqualTo(CsrRefusal.WEAK_SIGNATURE);
              assertThat(r.message()).contains("SHA1withECDSA");
            });
    assertThat(issuer.issue(Files.readAllBytes(work.resolve("r-sha256.pem")), "dev-1"))
        .isInstanceOf(CsrIssuance.Issued.class);
  }

  @Test
  void revocationPointersAreWrittenWhenGivenAndOnlyThen() throws Exception {
    URI crl = URI.create("https://cp.example:9443/crl/issuing-ca.crl");
    RevocationPointers pointers = RevocationPointers.servedWith(crl);
    assertThat(pointers.ocspUrl()).contains(URI.create("https://cp.example:9443/ocsp"));
    CsrIssuer pointing =
        ca.csrIssuer(CsrPolicy.defaults().withLifetime(Duration.ofDays(30)), pointers);

    X509Certificate with =
        ((CsrIssuance.Issued) pointing.issue(DeviceCsr.create("dev-1", p256), "dev-1"))
            .chain()
            .get(0);
    X509Certificate without =
        ((CsrIssuance.Issued) issuer.issue(DeviceCsr.create("dev-1", p256), "dev-1"))
            .chain()
            .get(0);

    X509CertificateHolder holder = new X509CertificateHolder(with.getEncoded());
    CRLDistPoint points = CRLDistPoint.fromExtensions(holder.getExtensions());
    assertThat(points.getDistributionPoints()).hasSize(1);
    GeneralName[] crlNames =
        GeneralNames.getInstance(points.getDistributionPoints()[0].getDistributionPoint().getName())
            .getNames();
    assertThat(crlNames)
        .extracting(n -> n.getTagNo(), n -> n.getName().toString())
        .containsExactly(org.assertj.core.groups.Tuple.tuple(SAN_URI, crl.toString()));
    AccessDescription[] access =
        AuthorityInformationAccess.fromExtensions(holder.getExtensions()).getAccessDescriptions();
    assertThat(access)
        .extracting(a -> a.getAccessMethod(), a -> a.getAccessLocation().getName().toString())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                X509ObjectIdentifiers.ocspAccessMethod, "https://cp.example:9443/ocsp"));
    assertThat(with.getNonCriticalExtensionOIDs())
        .contains(Extension.cRLDistributionPoints.getId(), Extension.authorityInfoAccess.getId());
    assertThat(without.getNonCriticalExtensionOIDs())
        .doesNotContain(
            Extension.cRLDistributionPoints.getId(), Extension.authorityInfoAccess.getId());

    // openssl reads them as a relying party would
    Path work = Files.createDirectories(dir.resolve("openssl-pointers"));
    Files.writeString(work.resolve("leaf.pem"), CertificateBundles.pem(List.of(with)));
    Openssl.Run text = Openssl.run(work, "x509", "-in", "leaf.pem", "-noout", "-ocsp_uri");
    assertThat(text.exitCode()).as(text.output()).isZero();
    assertThat(text.output().trim()).isEqualTo("https://cp.example:9443/ocsp");
    Openssl.Run dump = Openssl.run(work, "x509", "-in", "leaf.pem", "-noout", "-text");
    assertThat(dump.output())
        .contains("X509v3 CRL Distribution Points")
        .contains("URI:https://cp.example:9443/crl/issuing-ca.crl");
  }

  @Test
  void revocationPointersMustBeHttpUrlsWithAHost() {
    assertThatThrownBy(() -> RevocationPointers.servedWith(URI.create("ldap://x/cn=crl")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("crlUrl");
    assertThatThrownBy(
            () ->
                new RevocationPointers(
                    Optional.empty(), Optional.of(URI.create("file:///etc/ocsp"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ocspUrl");
    assertThat(RevocationPointers.NONE.isEmpty()).isTrue();
  }

  @Test
  void aCsrNamingAnyoneButTheAuthorisedDeviceIsRefused() throws Exception {
    assertRefused(DeviceCsr.create("dev-2", p256), "dev-1", CsrRefusal.IDENTITY_MISMATCH);
    assertRefused(csr(p256, p256, "CN=dev-2"), "dev-1", CsrRefusal.IDENTITY_MISMATCH);
    assertRefused(
        csr(p256, p256, "CN=dev-1", uri("urn:auditgate:device:dev-2")),
        "dev-1",
        CsrRefusal.IDENTITY_MISMATCH);
    assertRefused(csr(p256, p256, "CN=dev-1+CN=dev-1"), "dev-1", CsrRefusal.IDENTITY_MISMATCH);
    assertRefused(csr(p256, p256, "O=Acme"), "dev-1", CsrRefusal.IDENTITY_MISSING);
    assertRefused(
        csr(p256, p256, "CN=dev-1", new GeneralName(GeneralName.dNSName, "gateway.example")),
        "dev-1",
        CsrRefusal.UNEXPECTED_NAME);
    assertRefused(
        csr(p256, p256, "CN=dev-1", uri("https://example.com/dev-1")),
        "dev-1",
        CsrRefusal.UNEXPECTED_NAME);
    assertThatThrownBy(() -> issuer.issue(DeviceCsr.create("dev-1", p256), "not a device"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theVerifierRefusesExpiredForeignAndNonDeviceCertificates() throws Exception {
    IssuedCertificate expired = ca.issueDevice("dev-1", Validity.expired());
    assertThat(issuer.verifier().verify(expired.chain(), NOW))
        .isEqualTo(
            new DeviceCertificateCheck.Invalid(
                "certificate_expired", "the certificate (or its issuer) has expired"));
    DevCertificateAuthority other =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), CLOCK);
    assertThat(issuer.verifier().verify(other.issueDevice("dev-1", Validity.days(1)).chain(), NOW))
        .isInstanceOfSatisfying(
            DeviceCertificateCheck.Invalid.class,
            i -> assertThat(i.code()).isEqualTo("certificate_untrusted"));
    assertThat(
            issuer
                .verifier()
                .verify(ca.issueServer(List.of("localhost"), Validity.days(1)).chain(), NOW))
        .isInstanceOfSatisfying(
            DeviceCertificateCheck.Invalid.class,
            i -> assertThat(i.code()).isEqualTo("certificate_not_device"));
    assertThat(issuer.verifier().verify(List.of(), NOW))
        .isInstanceOfSatisfying(
            DeviceCertificateCheck.Invalid.class,
            i -> assertThat(i.code()).isEqualTo("certificate_missing"));
  }

  @Test
  void aCertsOnlyBundleReadsBackAsTheSameCertificates() throws Exception {
    byte[] p7 = CertificateBundles.pkcs7CertsOnly(issuer.caCertificates());
    Collection<? extends java.security.cert.Certificate> back =
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new java.io.ByteArrayInputStream(p7));
    assertThat(new ArrayList<Object>(back))
        .containsExactlyInAnyOrderElementsOf(new ArrayList<Object>(issuer.caCertificates()));
    // ContentInfo { signedData OID 1.2.840.113549.1.7.2 }
    assertThat(Arrays.copyOfRange(p7, 4, 15))
        .containsExactly(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);
  }

  private static void assertRefused(byte[] csr, String deviceId, CsrRefusal reason) {
    assertThat(issuer.issue(csr, deviceId))
        .isInstanceOfSatisfying(
            CsrIssuance.Refused.class,
            r -> {
              assertThat(r.reason()).isEqualTo(reason);
              assertThat(r.message()).isNotBlank();
            });
  }

  /**
   * A CSR for {@code subject}'s public key, signed by {@code signer}'s (or its own) private key.
   */
  /** The same, signed with {@code algorithm} (a JCA signature name), no SANs. */
  private static byte[] csr(KeyPair subject, KeyPair signer, String dn, String algorithm)
      throws Exception {
    KeyPair signing = signer == null ? subject : signer;
    return new JcaPKCS10CertificationRequestBuilder(new X500Name(dn), subject.getPublic())
        .build(
            new JcaContentSignerBuilder(algorithm)
                .setProvider(new BouncyCastleProvider())
                .build(signing.getPrivate()))
        .getEncoded();
  }

  private static byte[] csr(KeyPair subject, KeyPair signer, String dn, GeneralName... sans)
      throws Exception {
    JcaPKCS10CertificationRequestBuilder builder =
        new JcaPKCS10CertificationRequestBuilder(new X500Name(dn), subject.getPublic());
    if (sans.length > 0) {
      builder.addAttribute(
          PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
          new Extensions(
              new Extension(
                  Extension.subjectAlternativeName, false, new GeneralNames(sans).getEncoded())));
    }
    KeyPair signing = signer == null ? subject : signer;
    String algorithm =
        signing.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return builder
        .build(new JcaContentSignerBuilder(algorithm).build(signing.getPrivate()))
        .getEncoded();
  }

  private static GeneralName uri(String uri) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, uri);
  }

  private static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec(curve));
    return generator.generateKeyPair();
  }

  private static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  private static List<String> uris(X509Certificate cert) throws Exception {
    List<String> out = new ArrayList<>();
    for (List<?> san : cert.getSubjectAlternativeNames()) {
      if ((Integer) san.get(0) == SAN_URI) {
        out.add((String) san.get(1));
      }
    }
    return out;
  }
}
