package io.auditgate.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateFilesTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir static Path shared;
  @TempDir Path dir;
  private static DevCertificateAuthority ca;

  @BeforeAll
  static void createCa() {
    ca =
        DevCertificateAuthority.create(
            shared.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
  }

  @Test
  void pemWithAChainAndAKeyReadsEveryCertificateInOrder() throws Exception {
    IssuedCertificate device = ca.issueDevice("d-1", Validity.days(30));
    var files = device.writePem(dir, "d-1");
    Path bundle = dir.resolve("bundle.pem");
    Files.writeString(
        bundle,
        Files.readString(files.privateKey())
            + Files.readString(files.certificateChain())
            + pem(ca.rootCertificate()));

    var result = CertificateFiles.read(bundle, Optional.empty());

    assertThat(result).isInstanceOf(CertificateFiles.Result.Read.class);
    var read = (CertificateFiles.Result.Read) result;
    assertThat(read.format()).isEqualTo(CertificateFiles.Format.PEM);
    assertThat(read.certificates())
        .containsExactly(device.certificate(), ca.issuingCertificate(), ca.rootCertificate());
  }

  @Test
  void derIsOneCertificate() throws Exception {
    Path der = dir.resolve("root.cer");
    Files.write(der, ca.rootCertificate().getEncoded());

    var read = (CertificateFiles.Result.Read) CertificateFiles.read(der, Optional.empty());

    assertThat(read.format()).isEqualTo(CertificateFiles.Format.DER);
    assertThat(read.certificates()).containsExactly(ca.rootCertificate());
  }

  @Test
  void pkcs12OpensWithItsPasswordOnly() {
    IssuedCertificate device = ca.issueDevice("d-2", Validity.days(30));
    Path p12 = device.writePkcs12(dir.resolve("d-2.p12"), "d-2", "s3cret".toCharArray());

    var read =
        (CertificateFiles.Result.Read)
            CertificateFiles.read(p12, Optional.of("s3cret".toCharArray()));
    assertThat(read.format()).isEqualTo(CertificateFiles.Format.PKCS12);
    assertThat(read.chains()).containsExactly(device.chain());

    assertThat(CertificateFiles.read(p12, Optional.of("wrong".toCharArray())))
        .extracting(r -> ((CertificateFiles.Result.Refused) r).reason())
        .isEqualTo(CertificateFiles.Refusal.WRONG_PASSWORD);
    assertThat(CertificateFiles.read(p12, Optional.empty()))
        .extracting(r -> ((CertificateFiles.Result.Refused) r).reason())
        .isEqualTo(CertificateFiles.Refusal.PASSWORD_REQUIRED);
  }

  @Test
  void jksTrustedEntriesAndKeyEntriesAreRead() throws Exception {
    IssuedCertificate server = ca.issueServer(List.of("localhost"), Validity.days(30));
    KeyStore jks = KeyStore.getInstance("JKS");
    jks.load(null, null);
    jks.setCertificateEntry("root", ca.rootCertificate());
    jks.setKeyEntry(
        "server",
        server.privateKey(),
        "pw".toCharArray(),
        server.chain().toArray(Certificate[]::new));
    Path file = dir.resolve("store.jks");
    try (OutputStream out = Files.newOutputStream(file)) {
      jks.store(out, "pw".toCharArray());
    }

    var read =
        (CertificateFiles.Result.Read) CertificateFiles.read(file, Optional.of("pw".toCharArray()));

    assertThat(read.format()).isEqualTo(CertificateFiles.Format.JKS);
    assertThat(read.chains())
        .containsExactlyInAnyOrder(List.of(ca.rootCertificate()), server.chain());
    assertThat(CertificateFiles.read(file, Optional.of("nope".toCharArray())))
        .extracting(r -> ((CertificateFiles.Result.Refused) r).reason())
        .isEqualTo(CertificateFiles.Refusal.WRONG_PASSWORD);
  }

  @Test
  void garbageIsRefusedWithAReason() throws Exception {
    Path text = dir.resolve("notes.txt");
    Files.writeString(text, "not a certificate at all");
    Path empty = dir.resolve("empty.pem");
    Files.write(empty, new byte[0]);
    Path corrupt = dir.resolve("corrupt.pem");
    String good = pem(ca.rootCertificate());
    Files.writeString(
        corrupt,
        good + "-----BEGIN CERTIFICATE-----\nAAAAnotbase64!!\n-----END CERTIFICATE-----\n");
    Path derGarbage = dir.resolve("x.der");
    Files.write(derGarbage, new byte[] {0x30, 0x05, 0x02, 0x01, 0x01, 0x05, 0x00});
    Path keyOnly = dir.resolve("key.pem");
    Files.writeString(
        keyOnly,
        Files.readString(
            ca.issueDevice("d-3", Validity.days(1))
                .writePem(dir.resolve("k"), "d-3")
                .privateKey()));

    assertThat(refusal(text)).isEqualTo(CertificateFiles.Refusal.NOT_A_CERTIFICATE);
    assertThat(refusal(empty)).isEqualTo(CertificateFiles.Refusal.EMPTY);
    assertThat(refusal(corrupt)).isEqualTo(CertificateFiles.Refusal.CORRUPT_PEM);
    assertThat(refusal(derGarbage)).isEqualTo(CertificateFiles.Refusal.NOT_A_CERTIFICATE);
    assertThat(refusal(keyOnly)).isEqualTo(CertificateFiles.Refusal.NO_CERTIFICATE);
    assertThat(refusal(dir.resolve("missing.pem"))).isEqualTo(CertificateFiles.Refusal.UNREADABLE);
  }

  private static CertificateFiles.Refusal refusal(Path file) {
    var result = CertificateFiles.read(file, Optional.empty());
    assertThat(result).isInstanceOf(CertificateFiles.Result.Refused.class);
    return ((CertificateFiles.Result.Refused) result).reason();
  }

  static String pem(java.security.cert.X509Certificate c) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(c.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
