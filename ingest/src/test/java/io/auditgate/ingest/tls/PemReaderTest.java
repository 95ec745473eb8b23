package io.auditgate.ingest.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.KeyAlgorithm;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.ServerCertificateRequest;
import io.auditgate.certs.Validity;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemReaderTest {
  @TempDir static Path dir;
  private static DevCertificateAuthority ca;

  @BeforeAll
  static void createCa() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
  }

  @Test
  void readsAnEcKeyAndItsChain() {
    IssuedCertificate issued = ca.issueDevice("sensor-01", Validity.days(1));
    PemFiles files = issued.writePem(dir.resolve("ec"), "sensor-01");

    KeyMaterial material =
        KeyMaterial.read(files.certificateChain(), files.privateKey(), Optional.empty());

    assertThat(material.privateKey().getAlgorithm()).isEqualTo("EC");
    assertThat(material.privateKey().getEncoded()).isEqualTo(issued.privateKey().getEncoded());
    assertThat(material.chain()).containsExactlyElementsOf(issued.chain());
  }

  @Test
  void readsAnRsaKey() {
    IssuedCertificate issued =
        ca.issueServer(
            ServerCertificateRequest.forHosts(List.of("localhost"), Validity.days(1))
                .withKeyAlgorithm(KeyAlgorithm.RSA_2048));
    PemFiles files = issued.writePem(dir.resolve("rsa"), "server");

    PrivateKey key = PemReader.readPrivateKey(files.privateKey(), Optional.empty());

    assertThat(key.getAlgorithm()).isEqualTo("RSA");
    assertThat(key.getEncoded()).isEqualTo(issued.privateKey().getEncoded());
  }

  @Test
  void decryptsAnEncryptedKeyWithItsPasswordOnly() {
    IssuedCertificate issued = ca.issueDevice("sensor-02", Validity.days(1));
    PemFiles files =
        issued.writePem(dir.resolve("enc"), "sensor-02", Optional.of("pa55word".toCharArray()));

    PrivateKey key =
        PemReader.readPrivateKey(files.privateKey(), Optional.of("pa55word".toCharArray()));
    UnableToLoadTlsMaterialException wrong =
        catchThrowableOfType(
            UnableToLoadTlsMaterialException.class,
            () -> PemReader.readPrivateKey(files.privateKey(), Optional.of("guess".toCharArray())));
    UnableToLoadTlsMaterialException none =
        catchThrowableOfType(
            UnableToLoadTlsMaterialException.class,
            () -> PemReader.readPrivateKey(files.privateKey(), Optional.empty()));

    assertThat(key.getEncoded()).isEqualTo(issued.privateKey().getEncoded());
    assertThat(wrong.problem()).isEqualTo("the password does not decrypt it");
    assertThat(wrong.file()).isEqualTo(files.privateKey());
    assertThat(none.problem()).contains("is encrypted");
  }

  @Test
  void refusesTheLegacyOpenSslKeyFormatWithTheConversionCommand() throws Exception {
    IssuedCertificate issued = ca.issueDevice("sensor-03", Validity.days(1));
    StringWriter legacy = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(legacy)) {
      writer.writeObject(issued.privateKey()); // Bouncy Castle writes "EC PRIVATE KEY" here
    }
    Path file = Files.writeString(dir.resolve("legacy.key"), legacy.toString());

    UnableToLoadTlsMaterialException e =
        catchThrowableOfType(
            UnableToLoadTlsMaterialException.class,
            () -> PemReader.readPrivateKey(file, Optional.empty()));

    assertThat(legacy.toString()).startsWith("-----BEGIN EC PRIVATE KEY-----");
    assertThat(e.problem()).contains("EC PRIVATE KEY").contains("openssl pkcs8 -topk8");
  }

  @Test
  void namesTheFileThatIsMissingOrEmpty() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "no PEM here\n");

    assertThat(
            catchThrowableOfType(
                    UnableToLoadTlsMaterialException.class,
                    () -> PemReader.readCertificates(dir.resolve("absent.crt")))
                .problem())
        .isEqualTo("no such file");
    assertThat(
            catchThrowableOfType(
                    UnableToLoadTlsMaterialException.class,
                    () -> PemReader.readPrivateKey(empty, Optional.empty()))
                .problem())
        .contains("no PEM 'PRIVATE KEY'");
  }

  @Test
  void aKeyThatIsNotTheCertificatesIsRefused() {
    PemFiles one = ca.issueDevice("one", Validity.days(1)).writePem(dir.resolve("mix"), "one");
    PemFiles two = ca.issueDevice("two", Validity.days(1)).writePem(dir.resolve("mix"), "two");

    UnableToLoadTlsMaterialException e =
        catchThrowableOfType(
            UnableToLoadTlsMaterialException.class,
            () -> KeyMaterial.read(one.certificateChain(), two.privateKey(), Optional.empty()));

    assertThat(e.file()).isEqualTo(two.privateKey());
    assertThat(e.problem()).contains("is not the key of").contains("CN=one");
  }
}
