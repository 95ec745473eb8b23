package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuthConfig;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.DeviceIdentity.Method;
import io.auditgate.ingest.auth.AuthOutcome.Refused;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAuthenticatorTest {
  private static final Instant NOW = Instant.parse("2026-06-01T08:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Low rounds keep the suite fast; the rounds do not change what is being tested. */
  private static final int ROUNDS = 1_000;

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;
  private static IssuedCertificate sensor;

  @BeforeAll
  static void createCa() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    sensor = ca.issueDevice("sensor-01", Validity.days(30));
  }

  // --- certificates ---

  @Test
  void aDeviceCertificateIdentifiesItsDevice() {
    AuthOutcome outcome = certificates().authenticateCertificate(sensor.chain());

    assertThat(outcome.identity())
        .contains(
            new DeviceIdentity(
                "sensor-01", Method.CLIENT_CERTIFICATE, Optional.of(sensor.sha256Fingerprint())));
    assertThat(certificates().fromCertificate(sensor.chain())).isEqualTo(outcome.identity());
  }

  @Test
  void theSanUriWinsOverTheCommonName() {
    X509Certificate cert =
        TestCertificates.subject("CN=someone-else").uri("urn:auditgate:device:pump-7").build();

    assertThat(deviceOf(cert)).contains("pump-7");
  }

  @Test
  void theCommonNameIsUsedWhenThereIsNoDeviceUri() {
    X509Certificate cert =
        TestCertificates.subject("CN=legacy_42, O=Acme").uri("https://example.com/x").build();

    assertThat(deviceOf(cert)).contains("legacy_42");
  }

  @Test
  void namesThatAreNotDeviceIdsAreRefused() {
    assertThat(reason(TestCertificates.subject("CN=bad id!").build()))
        .isEqualTo(RefusalReason.INVALID_DEVICE_ID);
    assertThat(
            reason(
                TestCertificates.subject("O=Acme")
                    .uri("urn:auditgate:device:" + "x".repeat(65))
                    .build()))
        .isEqualTo(RefusalReason.INVALID_DEVICE_ID);
    assertThat(
            reason(
                TestCertificates.subject("CN=sensor-01")
                    .uri("urn:auditgate:device:bad/id")
                    .build()))
        .as("a malformed device URI is not rescued by a valid CN")
        .isEqualTo(RefusalReason.INVALID_DEVICE_ID);
    assertThat(reason(TestCertificates.subject("O=Acme").build()))
        .isEqualTo(RefusalReason.NO_DEVICE_ID);
  }

  @Test
  void aCertificateNamingTwoDevicesIsRefused() {
    X509Certificate twoUris =
        TestCertificates.subject("CN=a")
            .uri("urn:auditgate:device:a")
            .uri("urn:auditgate:device:b")
            .build();
    X509Certificate twoCns = TestCertificates.subject("CN=a, CN=b").build();

    assertThat(reason(twoUris)).isEqualTo(RefusalReason.AMBIGUOUS_DEVICE_ID);
    assertThat(reason(twoCns)).isEqualTo(RefusalReason.AMBIGUOUS_DEVICE_ID);
  }

  @Test
  void validityIsJudgedByTheInjectedClock() {
    RegistryAuthenticator later = certificates(Clock.offset(CLOCK, Duration.ofDays(31)));
    RegistryAuthenticator earlier = certificates(Clock.offset(CLOCK, Duration.ofHours(-1)));

    assertThat(later.authenticateCertificate(sensor.chain()))
        .isEqualTo(new Refused(RefusalReason.EXPIRED, Optional.of("sensor-01")));
    assertThat(earlier.authenticateCertificate(sensor.chain()))
        .isEqualTo(new Refused(RefusalReason.NOT_YET_VALID, Optional.of("sensor-01")));
    assertThat(certificates().authenticateCertificate(sensor.chain()).identity()).isPresent();
  }

  @Test
  void anExpiredCertificateFromTheCaIsRefused() {
    IssuedCertificate expired = ca.issueDevice("old-device", Validity.expired());

    assertThat(reason(expired.certificate())).isEqualTo(RefusalReason.EXPIRED);
    assertThat(certificates().fromCertificate(expired.chain())).isEmpty();
  }

  @Test
  void aServerCertificateCannotAuthenticateADevice() {
    IssuedCertificate server = ca.issueServer(List.of("sensor-01"), Validity.days(1));
    X509Certificate serverAuthOnly =
        TestCertificates.subject("CN=sensor-01").purpose(KeyPurposeId.id_kp_serverAuth).build();

    assertThat(reason(server.certificate())).isEqualTo(RefusalReason.WRONG_KEY_USAGE);
    assertThat(reason(serverAuthOnly)).isEqualTo(RefusalReason.WRONG_KEY_USAGE);
  }

  @Test
  void noCertificateIsNoIdentity() {
    assertThat(certificates().authenticateCertificate(List.of()))
        .isEqualTo(new Refused(RefusalReason.NO_CREDENTIALS, Optional.empty()));
    assertThat(certificates().fromCertificate(null)).isEmpty();
  }

  @Test
  void aBoundDeviceAcceptsOnlyItsBoundCertificates() {
    IssuedCertificate replacement = ca.issueDevice("sensor-01", Validity.days(30));
    InMemoryCertificateBindings bindings = new InMemoryCertificateBindings();
    bindings.bind("sensor-01", replacement.sha256Fingerprint());
    RegistryAuthenticator auth = authenticator(bindings, RevocationCheck.none());

    assertThat(auth.authenticateCertificate(sensor.chain()))
        .isEqualTo(new Refused(RefusalReason.NOT_BOUND, Optional.of("sensor-01")));
    assertThat(auth.fromCertificate(replacement.chain()).map(DeviceIdentity::deviceId))
        .contains("sensor-01");

    bindings.bind("sensor-01", sensor.sha256Fingerprint());
    assertThat(auth.fromCertificate(sensor.chain())).isPresent();
  }

  @Test
  void aCertificateBoundToAnotherDeviceIsRefused() {
    IssuedCertificate other = ca.issueDevice("sensor-02", Validity.days(30));
    InMemoryCertificateBindings bindings = new InMemoryCertificateBindings();
    bindings.bind("sensor-99", other.sha256Fingerprint());

    assertThat(
            authenticator(bindings, RevocationCheck.none()).authenticateCertificate(other.chain()))
        .isEqualTo(new Refused(RefusalReason.BOUND_TO_OTHER_DEVICE, Optional.of("sensor-02")));
    assertThat(
            authenticator(bindings, RevocationCheck.none())
                .fromCertificate(sensor.chain())
                .isPresent())
        .as("unbound devices are unaffected")
        .isTrue();
  }

  @Test
  void aRevokedCertificateIsRefused() {
    Set<java.math.BigInteger> revoked = Set.of(sensor.certificate().getSerialNumber());
    RevocationCheck crl = (cert, chain) -> revoked.contains(cert.getSerialNumber());
    RegistryAuthenticator auth = authenticator(CertificateBindings.none(), crl);

    assertThat(auth.authenticateCertificate(sensor.chain()))
        .isEqualTo(new Refused(RefusalReason.REVOKED, Optional.of("sensor-01")));
    assertThat(auth.fromCertificate(ca.issueDevice("sensor-01", Validity.days(1)).chain()))
        .isPresent();
  }

  // --- passwords and tokens ---

  @Test
  void theRightPasswordIdentifiesTheDeviceByItsUsername() {
    RegistryAuthenticator auth = withPassword("sensor-01", "s3cret");

    assertThat(auth.fromPassword("sensor-01", bytes("s3cret")))
        .contains(new DeviceIdentity("sensor-01", Method.PASSWORD, Optional.empty()));
  }

  @Test
  void wrongUnknownAndMissingPasswordsAreRefused() {
    RegistryAuthenticator auth = withPassword("sensor-01", "s3cret");

    assertThat(reason(auth.authenticatePassword("sensor-01", bytes("s3cret!"))))
        .isEqualTo(RefusalReason.WRONG_SECRET);
    assertThat(reason(auth.authenticatePassword("sensor-02", bytes("s3cret"))))
        .isEqualTo(RefusalReason.UNKNOWN_DEVICE);
    assertThat(reason(auth.authenticatePassword("sensor-01", new byte[0])))
        .isEqualTo(RefusalReason.NO_CREDENTIALS);
    assertThat(reason(auth.authenticatePassword("sensor-01", null)))
        .isEqualTo(RefusalReason.NO_CREDENTIALS);
    assertThat(reason(auth.authenticatePassword("no such/device", bytes("s3cret"))))
        .isEqualTo(RefusalReason.INVALID_DEVICE_ID);
    assertThat(auth.fromPassword("SENSOR-01", bytes("s3cret")))
        .as("ids are case-sensitive")
        .isEmpty();
  }

  @Test
  void aPasswordIsComparedAsBytesNotText() {
    byte[] binary = {(byte) 0xff, 0x00, (byte) 0xfe};
    byte[] otherBinary = {(byte) 0xfd, 0x00, (byte) 0xfe};
    SecretHash hash = SecretHash.create(binary, ROUNDS, new SecureRandom());
    RegistryAuthenticator auth =
        credentials(
            CredentialStore.of(
                List.of(new DeviceCredentials("d1", Optional.of(hash), Optional.empty()))));

    assertThat(auth.fromPassword("d1", binary)).isPresent();
    assertThat(auth.fromPassword("d1", otherBinary))
        .as("both decode to the same replacement characters as UTF-8")
        .isEmpty();
  }

  @Test
  void theRightTokenIdentifiesItsDevice() {
    String token = CredentialsFile.newToken("sensor-01");
    RegistryAuthenticator auth = withToken("sensor-01", token);

    assertThat(token).startsWith("sensor-01.").hasSize("sensor-01.".length() + 43);
    assertThat(auth.fromToken(token))
        .contains(new DeviceIdentity("sensor-01", Method.TOKEN, Optional.empty()));
  }

  @Test
  void wrongUnknownAndMalformedTokensAreRefused() {
    String token = CredentialsFile.newToken("sensor-01");
    RegistryAuthenticator auth = withToken("sensor-01", token);

    assertThat(reason(auth.authenticateToken(token + "x"))).isEqualTo(RefusalReason.WRONG_SECRET);
    assertThat(reason(auth.authenticateToken(token.replace("sensor-01", "sensor-02"))))
        .isEqualTo(RefusalReason.UNKNOWN_DEVICE);
    assertThat(reason(auth.authenticateToken("no-dot-here")))
        .isEqualTo(RefusalReason.MALFORMED_TOKEN);
    assertThat(reason(auth.authenticateToken(".secret"))).isEqualTo(RefusalReason.MALFORMED_TOKEN);
    assertThat(reason(auth.authenticateToken(""))).isEqualTo(RefusalReason.NO_CREDENTIALS);
    assertThat(reason(auth.authenticatePassword("sensor-01", bytes(token))))
        .as("a token is not a password")
        .isEqualTo(RefusalReason.NO_SECRET_OF_THIS_KIND);
  }

  @Test
  void everyRefusalCostsOneFullDerivationSoTimingRevealsNothing() {
    SecretHash password = SecretHash.create(bytes("s3cret"), ROUNDS, new SecureRandom());
    CredentialStore store =
        CredentialStore.of(
            List.of(
                new DeviceCredentials("sensor-01", Optional.of(password), Optional.empty()),
                new DeviceCredentials(
                    "sensor-02",
                    Optional.empty(),
                    Optional.of(
                        SecretHash.create(bytes("sensor-02.t"), ROUNDS, new SecureRandom())))));
    RegistryAuthenticator auth = credentials(store);

    long before = store.derivations();
    auth.fromPassword("sensor-01", bytes("wrong"));
    auth.fromPassword("nobody", bytes("wrong"));
    auth.fromPassword("sensor-02", bytes("wrong"));
    auth.fromToken("nobody.wrong");

    assertThat(store.derivations() - before)
        .as("wrong secret, unknown device, no secret of that kind: the same work each")
        .isEqualTo(4);
  }

  @Test
  void aVerifiedSecretIsRememberedButAWrongOneAlwaysPaysInFull() {
    CredentialStore store =
        CredentialStore.of(
            List.of(
                new DeviceCredentials(
                    "sensor-01",
                    Optional.of(SecretHash.create(bytes("s3cret"), ROUNDS, new SecureRandom())),
                    Optional.empty())));
    RegistryAuthenticator auth = credentials(store);

    assertThat(auth.fromPassword("sensor-01", bytes("s3cret"))).isPresent();
    long afterFirst = store.derivations();
    assertThat(auth.fromPassword("sensor-01", bytes("s3cret"))).isPresent();
    assertThat(store.derivations()).as("second time from the cache").isEqualTo(afterFirst);
    assertThat(auth.fromPassword("sensor-01", bytes("s3creT"))).isEmpty();
    assertThat(store.derivations()).isEqualTo(afterFirst + 1);
  }

  @Test
  void credentialsAreReadFromTheConfiguredFile() throws Exception {
    Path file = dir.resolve("credentials.jsonl");
    Files.writeString(
        file,
        "# test devices\n"
            + CredentialsFile.line(
                new DeviceCredentials(
                    "sensor-07",
                    Optional.of(
                        SecretHash.parse(CredentialsFile.hashSecret("pw".toCharArray(), ROUNDS))),
                    Optional.empty()))
            + "\n");

    RegistryAuthenticator auth =
        RegistryAuthenticator.fromConfig(
            new AuthConfig(true, file), CertificateBindings.none(), RevocationCheck.none(), CLOCK);

    assertThat(auth.fromPassword("sensor-07", bytes("pw"))).isPresent();
    assertThat(auth.fromPassword("sensor-07", bytes("pW"))).isEmpty();
  }

  // --- anonymous ---

  @Test
  void anonymousClientsAreAllowedOnlyWhenAuthenticationIsSwitchedOff() {
    RegistryAuthenticator required =
        RegistryAuthenticator.fromConfig(
            AuthConfig.defaults(), CertificateBindings.none(), RevocationCheck.none(), CLOCK);
    RegistryAuthenticator open =
        RegistryAuthenticator.fromConfig(
            new AuthConfig(false, null), CertificateBindings.none(), RevocationCheck.none(), CLOCK);

    assertThat(required.allowsAnonymous()).isFalse();
    assertThat(open.allowsAnonymous()).isTrue();
    assertThat(open.fromPassword("sensor-01", bytes("anything")))
        .as("switching authentication off does not make wrong credentials right")
        .isEmpty();
  }

  // --- helpers ---

  private static RegistryAuthenticator certificates() {
    return certificates(CLOCK);
  }

  private static RegistryAuthenticator certificates(Clock clock) {
    return new RegistryAuthenticator(
        AuthConfig.defaults(),
        CredentialStore.empty(),
        CertificateBindings.none(),
        RevocationCheck.none(),
        clock);
  }

  private static RegistryAuthenticator authenticator(
      CertificateBindings bindings, RevocationCheck revocation) {
    return new RegistryAuthenticator(
        AuthConfig.defaults(), CredentialStore.empty(), bindings, revocation, CLOCK);
  }

  private static RegistryAuthenticator credentials(CredentialStore store) {
    return new RegistryAuthenticator(
        AuthConfig.defaults(), store, CertificateBindings.none(), RevocationCheck.none(), CLOCK);
  }

  private static RegistryAuthenticator withPassword(String deviceId, String password) {
    return credentials(
        CredentialStore.of(
            List.of(
                new DeviceCredentials(
                    deviceId,
                    Optional.of(SecretHash.create(bytes(password), ROUNDS, new SecureRandom())),
                    Optional.empty()))));
  }

  private static RegistryAuthenticator withToken(String deviceId, String token) {
    return credentials(
        CredentialStore.of(
            List.of(
                new DeviceCredentials(
                    deviceId,
                    Optional.empty(),
                    Optional.of(SecretHash.create(bytes(token), ROUNDS, new SecureRandom()))))));
  }

  private static Optional<String> deviceOf(X509Certificate cert) {
    return certificates().fromCertificate(List.of(cert)).map(DeviceIdentity::deviceId);
  }

  private static RefusalReason reason(X509Certificate cert) {
    return reason(certificates().authenticateCertificate(List.of(cert)));
  }

  private static RefusalReason reason(AuthOutcome outcome) {
    assertThat(outcome).isInstanceOf(Refused.class);
    return ((Refused) outcome).reason();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
