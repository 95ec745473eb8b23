package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.CsrKeyType;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.RevocationPointers;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.EnrolmentConfig;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.core.config.TlsConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrolmentRuntimeTest {
  @TempDir Path dir;

  @Test
  void aMissingCaOrPassphraseStopsStartUpNamingTheKey() throws Exception {
    EnrolmentConfig none = EnrolmentConfig.defaults().withCaDir(dir.resolve("empty"));
    assertThat(
            catchThrowableOfType(
                    () -> EnrolmentRuntime.loadCa(none, Clock.systemUTC()), ConfigException.class)
                .key())
        .isEqualTo("certificates.enrolment.ca_dir");

    Path encrypted = dir.resolve("encrypted");
    DevCertificateAuthority.create(
        encrypted, CaOptions.defaults(), Optional.of("s3cret".toCharArray()), Clock.systemUTC());
    EnrolmentConfig noPassphrase = EnrolmentConfig.defaults().withCaDir(encrypted);
    assertThat(
            catchThrowableOfType(
                    () -> EnrolmentRuntime.loadCa(noPassphrase, Clock.systemUTC()),
                    ConfigException.class)
                .key())
        .isEqualTo("certificates.enrolment.ca_passphrase_file");

    Path passphrase = Files.writeString(dir.resolve("passphrase"), "s3cret\n");
    EnrolmentConfig withPassphrase =
        new EnrolmentConfig(
            true, encrypted, passphrase, Duration.ofDays(30), List.of("ec-p256"), 3072);
    DevCertificateAuthority ca = EnrolmentRuntime.loadCa(withPassphrase, Clock.systemUTC());
    assertThat(EnrolmentRuntime.policy(withPassphrase).allowedKeys())
        .containsExactly(CsrKeyType.EC_P256);
    assertThat(EnrolmentRuntime.policy(withPassphrase).minimumRsaBits()).isEqualTo(3072);

    TlsConfig web =
        EnrolmentRuntime.webTls(
            TlsConfig.of(
                    dir.resolve("server.crt"), dir.resolve("server.key"), dir.resolve("old.pem"))
                .withClientAuth(TlsConfig.ClientAuth.NONE),
            ca);
    assertThat(web.clientAuth()).isEqualTo(TlsConfig.ClientAuth.OPTIONAL);
    assertThat(web.clientCaBundle()).isEqualTo(ca.rootCertificateFile());
  }

  @Test
  void issuedCertificatesPointAtTheCrlUrlAndTheOcspResponderBesideIt() {
    assertThat(EnrolmentRuntime.revocationPointers(RevocationConfig.defaults()))
        .isEqualTo(RevocationPointers.NONE);
    RevocationPointers pointers =
        EnrolmentRuntime.revocationPointers(
            RevocationConfig.defaults()
                .withCrlUrl("https://control-plane:9443/crl/issuing-ca.crl"));
    assertThat(pointers.crlUrl())
        .contains(URI.create("https://control-plane:9443/crl/issuing-ca.crl"));
    assertThat(pointers.ocspUrl()).contains(URI.create("https://control-plane:9443/ocsp"));
  }
}
