package io.auditgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevCertificateAuthorityTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
  private static final int SAN_DNS = 2;
  private static final int SAN_URI = 6;
  private static final int SAN_IP = 7;
  private static final int DIGITAL_SIGNATURE = 0;
  private static final int KEY_CERT_SIGN = 5;

  @TempDir static Path sharedDir;
  private static DevCertificateAuthority ca;

  @BeforeAll
  static void createCa() {
    ca =
        DevCertificateAuthority.create(
            sharedDir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
  }

  @Test
  void issuedServerAndDeviceChainsValidateAgainstTheRoot() throws Exception {
    IssuedCertificate server = ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(90));
    IssuedCertificate device = ca.issueDevice("sensor-01", Validity.days(365));

    validate(server.chain(), ca.rootCertificate(), NOW);
    validate(device.chain(), ca.rootCertificate(), NOW);
    assertThat(server.chain()).hasSize(2).element(1).isEqualTo(ca.issuingCertificate());
    assertThat(server.certificate().getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(server.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void caCertificatesMaySignCertificatesOnly() throws Exception {
    X509Certificate root = ca.rootCertificate();
    X509Certificate issuing = ca.issuingCertificate();

    assertThat(root.getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
    assertThat(issuing.getBasicConstraints()).as("issuing CA signs leaves only").isZero();
    assertThat(issuing.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
    assertThat(issuing.getKeyUsage()[DIGITAL_SIGNATURE]).isFalse();
    assertThat(root.getSubjectX500Principal().getName()).contains("Root CA");
    assertThat(root.getNotAfter().toInstant()).isAfter(issuing.getNotAfter().toInstant());
  }

  @Test
  void aServerCertificateNamesItsHostsAndIsForServerAuthOnly() throws Exception {
    IssuedCertificate server =
        ca.issueServer(
            List.of("gateway.local", "localhost", "127.0.0.1", "::1"), Validity.days(30));
    X509Certificate cert = server.certificate();

    assertThat(sans(cert, SAN_DNS)).containsExactlyInAnyOrder("gateway.local", "localhost");
    assertThat(sans(cert, SAN_IP))
        .extracting(ip -> InetAddress.getByName(ip))
        .containsExactlyInAnyOrder(
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
    assertThat(sans(cert, SAN_URI)).isEmpty();
    assertThat(cert.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
    assertThat(cert.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
    assertThat(cert.getKeyUsage()[KEY_CERT_SIGN]).isFalse();
    assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=gateway.local");
    assertThat(cert.getCriticalExtensionOIDs()).contains("2.5.29.15", "2.5.29.19");
  }

  @Test
  void aDeviceCertificateCarriesTheDeviceIdAndIsForClientAuthOnly() throws Exception {
    X509Certificate cert = ca.issueDevice("pump_7-B", Validity.days(365)).certificate();

    assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=pump_7-B");
    assertThat(sans(cert, SAN_URI)).containsExactly("urn:auditgate:device:pump_7-B");
    assertThat(sans(cert, SAN_DNS)).isEmpty();
    assertThat(cert.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
    assertThat(cert.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
    assertThat(cert.getBasicConstraints()).isEqualTo(-1);
    assertThat(cert.getNotBefore().toInstant()).isEqualTo(NOW.minus(Validity.CLOCK_SKEW));
    assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
  }

  @Test
  void deviceIdsAreCheckedBeforeAnythingIsIssued() {
    assertThatThrownBy(() -> ca.issueDevice("a/b", Validity.days(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/b");
    assertThatThrownBy(() -> ca.issueDevice("x".repeat(65), Validity.days(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void serialNumbersAreRandomPositive159BitNumbers() {
    Set<BigInteger> serials = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      BigInteger serial = ca.issueDevice("d" + i, Validity.days(1)).certificate().getSerialNumber();
      assertThat(serial.signum()).isPositive();
      assertThat(serial.bitLength()).isLessThanOrEqualTo(159);
      serials.add(serial);
    }
    assertThat(serials).hasSize(20);
    assertThat(serials).anyMatch(s -> s.bitLength() > 150);
  }

  @Test
  void anExpiredCertificateFailsValidation() throws Exception {
    IssuedCertificate expired = ca.issueDevice("old-device", Validity.expired());

    CertPathValidatorException e =
        catchThrowableOfType(
            CertPathValidatorException.class,
            () -> validate(expired.chain(), ca.rootCertificate(), NOW));

    assertThat(e.getReason()).isEqualTo(BasicReason.EXPIRED);
    assertThat(expired.certificate().getNotAfter().toInstant()).isBefore(NOW);
  }

  @Test
  void aNotYetValidCertificateFailsValidation() throws Exception {
    IssuedCertificate future = ca.issueDevice("future-device", Validity.notYetValid());

    CertPathValidatorException e =
        catchThrowableOfType(
            CertPathValidatorException.class,
            () -> validate(future.chain(), ca.rootCertificate(), NOW));

    assertThat(e.getReason()).isEqualTo(BasicReason.NOT_YET_VALID);
    validate(future.chain(), ca.rootCertificate(), NOW.plus(Duration.ofDays(1)).plusSeconds(1));
  }

  @Test
  void aChainFromAnotherCaFailsValidation(@TempDir Path dir) {
    DevCertificateAuthority other =
        DevCertificateAuthority.create(dir, CaOptions.defaults(), Optional.empty(), CLOCK);
    IssuedCertificate foreign = other.issueDevice("sensor-01", Validity.days(1));

    assertThatThrownBy(() -> validate(foreign.chain(), ca.rootCertificate(), NOW))
        .isInstanceOf(CertPathValidatorException.class);
  }

  @Test
  void loadingAfterCreatingGivesTheSameCa(@TempDir Path dir) throws Exception {
    DevCertificateAuthority created =
        DevCertificateAuthority.create(dir, CaOptions.defaults(), Optional.empty(), CLOCK);

    DevCertificateAuthority loaded =
        DevCertificateAuthority.load(dir, Optional.empty(), CLOCK).orElseThrow();

    assertThat(loaded.rootCertificate()).isEqualTo(created.rootCertificate());
    assertThat(loaded.issuingCertificate()).isEqualTo(created.issuingCertificate());
    IssuedCertificate device = loaded.issueDevice("sensor-02", Validity.days(1));
    validate(device.chain(), created.rootCertificate(), NOW);
    assertThat(Files.readString(dir.resolve(DevCertificateAuthority.ISSUING_KEY)))
        .startsWith("-----BEGIN PRIVATE KEY-----");
  }

  @Test
  void anExistingCaIsNeverOverwritten(@TempDir Path dir) {
    DevCertificateAuthority.create(dir, CaOptions.defaults(), Optional.empty(), CLOCK);

    assertThatThrownBy(
            () ->
                DevCertificateAuthority.create(dir, CaOptions.defaults(), Optional.empty(), CLOCK))
        .isInstanceOf(CertsException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void anEmptyDirectoryHoldsNoCa(@TempDir Path dir) {
    CaLoadResult result = DevCertificateAuthority.load(dir, Optional.empty(), CLOCK);

    assertThat(result).isEqualTo(new CaLoadResult.NotFound(dir));
    assertThatThrownBy(result::orElseThrow).hasMessageContaining("no development CA");
  }

  @Test
  void anEncryptedCaKeyNeedsItsPassphrase(@TempDir Path dir) throws Exception {
    char[] passphrase = "correct horse battery staple".toCharArray();
    DevCertificateAuthority created =
        DevCertificateAuthority.create(dir, CaOptions.defaults(), Optional.of(passphrase), CLOCK);

    CaLoadResult without = DevCertificateAuthority.load(dir, Optional.empty(), CLOCK);
    CaLoadResult wrong =
        DevCertificateAuthority.load(dir, Optional.of("Tr0ub4dor&3".toCharArray()), CLOCK);
    CaLoadResult right = DevCertificateAuthority.load(dir, Optional.of(passphrase), CLOCK);

    assertThat(without).isInstanceOf(CaLoadResult.PassphraseRequired.class);
    assertThatThrownBy(without::orElseThrow)
        .isInstanceOf(CertsException.class)
        .hasMessageContaining("is encrypted; a passphrase is required");
    assertThat(wrong).isInstanceOf(CaLoadResult.WrongPassphrase.class);
    assertThatThrownBy(wrong::orElseThrow).hasMessageContaining("does not decrypt");
    assertThat(right.orElseThrow().issuingCertificate()).isEqualTo(created.issuingCertificate());
  }

  @Test
  void encryptedKeysUsePbes2WithAes256AndHmacSha256(@TempDir Path dir) throws Exception {
    DevCertificateAuthority.create(
        dir, CaOptions.defaults(), Optional.of("passphrase".toCharArray()), CLOCK);

    String pem = Files.readString(dir.resolve(DevCertificateAuthority.ROOT_KEY));
    assertThat(pem).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
    try (PEMParser parser = new PEMParser(new java.io.StringReader(pem))) {
      PKCS8EncryptedPrivateKeyInfo info = (PKCS8EncryptedPrivateKeyInfo) parser.readObject();
      var algorithm = info.getEncryptionAlgorithm();
      assertThat(algorithm.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_PBES2);
      var params =
          org.bouncycastle.asn1.pkcs.PBES2Parameters.getInstance(algorithm.getParameters());
      assertThat(params.getEncryptionScheme().getAlgorithm().getId())
          .as("AES-256-CBC")
          .isEqualTo("2.16.840.1.101.3.4.1.42");
      var kdf =
          org.bouncycastle.asn1.pkcs.PBKDF2Params.getInstance(
              params.getKeyDerivationFunc().getParameters());
      assertThat(kdf.getPrf().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_hmacWithSHA256);
      assertThat(kdf.getIterationCount().intValue()).isGreaterThanOrEqualTo(210_000);
    }
  }

  @Test
  void rsaKeysAreAvailableByOption(@TempDir Path dir) throws Exception {
    DevCertificateAuthority rsa =
        DevCertificateAuthority.create(
            dir,
            CaOptions.defaults().withKeyAlgorithm(KeyAlgorithm.RSA_2048),
            Optional.empty(),
            CLOCK);
    IssuedCertificate server =
        rsa.issueServer(
            ServerCertificateRequest.forHosts(List.of("localhost"), Validity.days(1))
                .withKeyAlgorithm(KeyAlgorithm.RSA_2048));

    validate(server.chain(), rsa.rootCertificate(), NOW);
    assertThat(rsa.rootCertificate().getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(server.certificate().getPublicKey().getAlgorithm()).isEqualTo("RSA");
    assertThat(
            DevCertificateAuthority.load(dir, Optional.empty(), CLOCK)
                .orElseThrow()
                .rootCertificate())
        .isEqualTo(rsa.rootCertificate());
  }

  @Test
  void anIssuedCertificateIsWrittenAsPemChainAndPrivateKey(@TempDir Path dir) throws Exception {
    IssuedCertificate device = ca.issueDevice("sensor-01", Validity.days(1));

    PemFiles files = device.writePem(dir.resolve("out"), "sensor-01");

    assertThat(files.certificateChain()).isEqualTo(dir.resolve("out/sensor-01.crt"));
    assertThat(files.privateKey()).isEqualTo(dir.resolve("out/sensor-01.key"));
    List<java.security.cert.Certificate> chain;
    try (var in = Files.newInputStream(files.certificateChain())) {
      chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    }
    assertThat(chain).containsExactlyElementsOf(List.copyOf(device.chain()));
    assertThat(Files.readString(files.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())))
        .isEqualTo("rw-------");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(files.certificateChain())))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void anIssuedCertificateIsWrittenAsPkcs12(@TempDir Path dir) throws Exception {
    IssuedCertificate device = ca.issueDevice("sensor-01", Validity.days(1));
    char[] password = "changeit".toCharArray();

    Path file = device.writePkcs12(dir.resolve("sensor-01.p12"), "sensor-01", password);

    KeyStore store = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    assertThat(store.getKey("sensor-01", password)).isEqualTo(device.privateKey());
    assertThat(store.getCertificateChain("sensor-01")).containsExactlyElementsOf(device.chain());
  }

  @Test
  void fileNamesCannotEscapeTheDirectory(@TempDir Path dir) {
    IssuedCertificate device = ca.issueDevice("sensor-01", Validity.days(1));

    assertThatThrownBy(() -> device.writePem(dir, "../escape"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> device.writePem(dir, ".hidden"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFingerprintIsTheSha256OfTheDerEncoding() throws Exception {
    IssuedCertificate device = ca.issueDevice("sensor-01", Validity.days(1));

    byte[] digest =
        java.security.MessageDigest.getInstance("SHA-256")
            .digest(device.certificate().getEncoded());
    assertThat(device.sha256Fingerprint())
        .hasSize(64)
        .isEqualTo(java.util.HexFormat.of().formatHex(digest));
  }

  /** PKIX path validation as the JDK's TLS stack does it, at {@code at}, without revocation. */
  static void validate(List<X509Certificate> chain, X509Certificate root, Instant at)
      throws Exception {
    CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    params.setDate(Date.from(at));
    CertPathValidator.getInstance("PKIX").validate(path, params);
  }

  private static List<String> sans(X509Certificate cert, int type) throws Exception {
    if (cert.getSubjectAlternativeNames() == null) {
      return List.of();
    }
    return cert.getSubjectAlternativeNames().stream()
        .filter(san -> (Integer) san.get(0) == type)
        .map(san -> (String) san.get(1))
        .toList();
  }
}
