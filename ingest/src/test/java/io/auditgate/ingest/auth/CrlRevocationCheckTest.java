package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.RevocationReason;
import io.auditgate.certs.RevokedSerial;
import io.auditgate.certs.Validity;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrlRevocationCheckTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;
  private static DevCertificateAuthority impostor;
  private static IssuedCertificate device;
  private static IssuedCertificate other;

  @BeforeAll
  static void createCas() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    // Same default names as the real CA: only the signature tells the two apart.
    impostor =
        DevCertificateAuthority.create(
            dir.resolve("impostor"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    device = ca.issueDevice("device-1", Validity.days(1));
    other = ca.issueDevice("device-2", Validity.days(1));
  }

  @Test
  void aCertificateListedInTheLatestCrlIsRevokedAndOthersAreNot() {
    CrlRevocationCheck check = new CrlRevocationCheck(Optional.empty());
    assertThat(check.isRevoked(device.certificate(), device.chain())).as("no CRL yet").isFalse();

    assertThat(check.update(crl(ca, 1, device))).isEqualTo(CrlRevocationCheck.Update.LOADED);

    assertThat(check.isRevoked(device.certificate(), device.chain())).isTrue();
    assertThat(check.isRevoked(other.certificate(), other.chain())).isFalse();
    assertThat(check.loaded())
        .get()
        .satisfies(
            l -> {
              assertThat(l.number()).isEqualTo(1);
              assertThat(l.entries()).isEqualTo(1);
            });
  }

  @Test
  void olderOrUnparseableCrlsNeverReplaceTheSnapshot() {
    CrlRevocationCheck check = new CrlRevocationCheck(Optional.empty());
    check.update(crl(ca, 5, device));

    assertThat(check.update(crl(ca, 4))).isEqualTo(CrlRevocationCheck.Update.OLDER_IGNORED);
    assertThat(check.update(new byte[] {1, 2, 3})).isEqualTo(CrlRevocationCheck.Update.INVALID);
    assertThat(check.isRevoked(device.certificate(), device.chain())).isTrue();
  }

  @Test
  void aCrlSignedByAnotherKeyIsNotBelieved() {
    CrlRevocationCheck fromChain = new CrlRevocationCheck(Optional.empty());
    fromChain.update(crl(impostor, 1, device));
    assertThat(fromChain.isRevoked(device.certificate(), device.chain()))
        .as("verified with the issuer in the device's chain")
        .isFalse();

    CrlRevocationCheck pinned = new CrlRevocationCheck(Optional.of(ca.issuingCertificate()));
    assertThat(pinned.update(crl(impostor, 1, device)))
        .isEqualTo(CrlRevocationCheck.Update.INVALID);
    assertThat(pinned.update(crl(ca, 1, device))).isEqualTo(CrlRevocationCheck.Update.LOADED);
    assertThat(pinned.isRevoked(device.certificate(), List.of(device.certificate()))).isTrue();
  }

  private static byte[] crl(
      DevCertificateAuthority issuer, int number, IssuedCertificate... revoked) {
    List<RevokedSerial> entries =
        java.util.Arrays.stream(revoked)
            .map(
                c ->
                    new RevokedSerial(
                        c.certificate().getSerialNumber(), NOW, RevocationReason.KEY_COMPROMISE))
            .toList();
    return issuer
        .revocationAuthority()
        .crl(BigInteger.valueOf(number), entries, NOW, Duration.ofHours(1))
        .der();
  }
}
