package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuthConfig;
import io.auditgate.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bindings file is a registry: only bound certificates stand for a device. */
class CertificateBindingsFileTest {
  @TempDir Path dir;

  @Test
  void onlyABoundCertificateAuthenticatesItsDevice() throws Exception {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    IssuedCertificate bound = ca.issueDevice("dev-1", Validity.days(30));
    IssuedCertificate unboundSameDevice = ca.issueDevice("dev-1", Validity.days(30));
    IssuedCertificate unlistedDevice = ca.issueDevice("dev-2", Validity.days(30));
    Path file = dir.resolve("bindings.jsonl");
    CertificateBindingsFile.append(file, "dev-1", bound.sha256Fingerprint());

    RegistryAuthenticator auth =
        RegistryAuthenticator.fromConfig(
            new AuthConfig(true, null, file),
            CertificateBindingsFile.read(file),
            RevocationCheck.none(),
            Clock.systemUTC());

    assertThat(auth.fromCertificate(bound.chain())).isPresent();
    assertThat(auth.authenticateCertificate(unboundSameDevice.chain()))
        .isEqualTo(new AuthOutcome.Refused(RefusalReason.NOT_BOUND, Optional.of("dev-1")));
    assertThat(auth.authenticateCertificate(unlistedDevice.chain()))
        .as("a device the registry does not list has no certificate it may use")
        .isEqualTo(new AuthOutcome.Refused(RefusalReason.NOT_BOUND, Optional.of("dev-2")));
  }

  @Test
  void mistakesNameTheLineAndACertificateCannotBelongToTwoDevices() throws Exception {
    String fingerprint = "ab".repeat(32);
    Path twice = dir.resolve("twice.jsonl");
    Files.writeString(
        twice,
        "# bindings\n"
            + "{\"device_id\":\"dev-1\",\"sha256\":\""
            + fingerprint
            + "\"}\n"
            + "{\"device_id\":\"dev-2\",\"sha256\":\""
            + fingerprint
            + "\"}\n");
    assertThatThrownBy(() -> CertificateBindingsFile.read(twice))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("already bound to another device");

    Path bad = dir.resolve("bad.jsonl");
    Files.writeString(bad, "{\"device_id\":\"no spaces allowed\",\"sha256\":\"x\"}\n");
    assertThatThrownBy(() -> CertificateBindingsFile.read(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("line 1")
        .hasMessageContaining("device_id");
    assertThatThrownBy(() -> CertificateBindingsFile.read(dir.resolve("missing.jsonl")))
        .hasMessageContaining("no such file");
  }
}
