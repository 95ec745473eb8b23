package io.auditgate.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.KeyAlgorithm;
import io.auditgate.certs.ServerCertificateRequest;
import io.auditgate.certs.Validity;
import io.auditgate.testkit.TestCertificates;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFactsTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;

  @BeforeAll
  static void createCa() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
  }

  @Test
  void deviceCertificateFactsComeFromTheCertificate() throws Exception {
    IssuedCertificate issued = ca.issueDevice("b-l475e-0001", Validity.days(365));
    X509Certificate c = issued.certificate();

    CertificateFacts facts = CertificateFacts.of(c);

    assertThat(facts.sha256())
        .isEqualTo(
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded())))
        .isEqualTo(issued.sha256Fingerprint());
    assertThat(facts.subject()).isEqualTo("CN=b-l475e-0001");
    assertThat(facts.issuer())
        .isEqualTo(ca.issuingCertificate().getSubjectX500Principal().getName());
    assertThat(facts.serialHex()).isEqualTo(c.getSerialNumber().toString(16));
    assertThat(facts.subjectAltNames().uris()).containsExactly("urn:auditgate:device:b-l475e-0001");
    assertThat(facts.deviceId()).contains("b-l475e-0001");
    assertThat(facts.keyType()).isEqualTo(KeyType.EC);
    assertThat(facts.keyBits()).isEqualTo(256);
    assertThat(facts.keyCurve()).contains("P-256");
    assertThat(facts.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
    assertThat(facts.notBefore()).isEqualTo(c.getNotBefore().toInstant());
    assertThat(facts.notAfter()).isEqualTo(c.getNotAfter().toInstant());
    assertThat(facts.lifetime()).isGreaterThan(Duration.ofDays(365));
    assertThat(facts.ca()).isFalse();
    assertThat(facts.pathLength()).isEmpty();
    assertThat(facts.keyUsage()).containsExactly("digitalSignature");
    assertThat(facts.extendedKeyUsage()).containsExactly("clientAuth");
    assertThat(facts.selfSigned()).isFalse();
    assertThat(facts.weaknesses()).isEmpty();
  }

  @Test
  void rsaServerCertificateHasDnsAndIpNamesAndItsModulusSize() {
    IssuedCertificate issued =
        ca.issueServer(
            ServerCertificateRequest.forHosts(List.of("gw.example", "10.0.0.7"), Validity.days(90))
                .withKeyAlgorithm(KeyAlgorithm.RSA_2048));

    CertificateFacts facts = CertificateFacts.of(issued.certificate());

    assertThat(facts.keyType()).isEqualTo(KeyType.RSA);
    assertThat(facts.keyBits()).isEqualTo(2048);
    assertThat(facts.keyCurve()).isEmpty();
    assertThat(facts.subjectAltNames().dns()).containsExactly("gw.example");
    assertThat(facts.subjectAltNames().ipAddresses()).containsExactly("10.0.0.7");
    assertThat(facts.deviceId()).isEmpty();
    assertThat(facts.keyUsage()).containsExactly("digitalSignature", "keyEncipherment");
    assertThat(facts.extendedKeyUsage()).containsExactly("serverAuth");
    assertThat(facts.weak()).isFalse();
  }

  @Test
  void caCertificatesSayCaAndTheirPathLength() {
    CertificateFacts root = CertificateFacts.of(ca.rootCertificate());
    CertificateFacts issuing = CertificateFacts.of(ca.issuingCertificate());

    assertThat(root.ca()).isTrue();
    assertThat(root.selfSigned()).isTrue();
    assertThat(root.pathLength()).isEmpty();
    assertThat(root.keyUsage()).containsExactly("keyCertSign", "cRLSign");
    assertThat(issuing.ca()).isTrue();
    assertThat(issuing.selfSigned()).isFalse();
    assertThat(issuing.pathLength()).contains(0);
    assertThat(issuing.issuer()).isEqualTo(root.subject());
  }

  @Test
  void rsa1024AndSha1AreWeak() throws Exception {
    KeyPair keys = TestCertificates.rsa(1024);
    X509Certificate c =
        TestCertificates.selfSigned(
            "CN=old-camera",
            keys,
            "SHA1withRSA",
            NOW.minusSeconds(60),
            NOW.plusSeconds(86400),
            false);

    CertificateFacts facts = CertificateFacts.of(c);

    assertThat(facts.keyBits()).isEqualTo(1024);
    assertThat(facts.signatureAlgorithm()).isEqualTo("SHA1withRSA");
    assertThat(facts.weaknesses())
        .containsExactly(Weakness.RSA_KEY_UNDER_2048, Weakness.SHA1_SIGNATURE);
    assertThat(facts.selfSigned()).isTrue();
  }

  @Test
  void emailSansAndANonDeviceUriAreKeptButNameNoDevice() throws Exception {
    KeyPair issuerKeys = TestCertificates.ec();
    X509Certificate issuer =
        TestCertificates.selfSigned(
            "CN=Other CA",
            issuerKeys,
            "SHA256withECDSA",
            NOW.minusSeconds(60),
            NOW.plusSeconds(86400),
            true);
    X509Certificate c =
        TestCertificates.signed(
            issuer,
            issuerKeys.getPrivate(),
            "CN=ops",
            TestCertificates.ec(),
            "SHA384withECDSA",
            NOW.minusSeconds(60),
            NOW.plusSeconds(86400),
            false,
            List.of(
                new GeneralName(GeneralName.rfc822Name, "ops@example.com"),
                new GeneralName(GeneralName.uniformResourceIdentifier, "https://example.com/ops"),
                new GeneralName(
                    GeneralName.uniformResourceIdentifier, "urn:auditgate:device:not valid!")));

    CertificateFacts facts = CertificateFacts.of(c);

    assertThat(facts.subjectAltNames().emails()).containsExactly("ops@example.com");
    assertThat(facts.subjectAltNames().uris()).hasSize(2);
    assertThat(facts.deviceId()).isEmpty();
    assertThat(facts.signatureAlgorithm()).isEqualTo("SHA384withECDSA");
  }

  @Test
  void garbageBytesDoNotDecode() {
    assertThat(DecodedCertificate.der(new byte[] {0x30, 0x03, 0x01, 0x02, 0x03}))
        .isInstanceOf(DecodedCertificate.Invalid.class);
    assertThat(DecodedCertificate.der("hello".getBytes()))
        .isInstanceOf(DecodedCertificate.Invalid.class);
  }

  @Test
  void derDecodesBackToTheSameFacts() throws Exception {
    X509Certificate c = ca.issueDevice("d-2", Validity.days(30)).certificate();
    DecodedCertificate decoded = DecodedCertificate.der(c.getEncoded());
    assertThat(decoded).isInstanceOf(DecodedCertificate.Certificate.class);
    assertThat(CertificateFacts.of(((DecodedCertificate.Certificate) decoded).certificate()))
        .isEqualTo(CertificateFacts.of(c));
  }
}
