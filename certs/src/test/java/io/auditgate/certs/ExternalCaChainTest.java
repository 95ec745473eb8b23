package io.auditgate.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExternalCaChainTest {
  @TempDir static Path dir;
  static DevCertificateAuthority external;
  static Instant now = Instant.now();

  @BeforeAll
  static void createExternalCa() {
    external =
        DevCertificateAuthority.create(
            dir.resolve("external"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
  }

  @Test
  void aRootAndItsIssuingCaBecomeTrustAnchorsThatVerifyItsDevices() {
    byte[] bundle = pem(List.of(external.issuingCertificate(), external.rootCertificate()));

    ExternalCaChain.Result result = ExternalCaChain.read(bundle, now);

    ExternalCaChain.Imported imported = (ExternalCaChain.Imported) result;
    assertThat(imported.roots()).containsExactly(external.rootCertificate());
    assertThat(imported.intermediates()).containsExactly(external.issuingCertificate());
    assertThat(
            imported
                .verifier()
                .verify(external.issueDevice("dev-1", Validity.days(1)).chain(), now))
        .isInstanceOf(DeviceCertificateCheck.Valid.class);
  }

  @Test
  void badBundlesAreRefusedWithAReason() throws Exception {
    assertRefused("garbage".getBytes(StandardCharsets.US_ASCII), "ca_chain_malformed");
    assertRefused(new byte[0], "ca_chain_malformed");
    assertRefused(
        Files.readAllBytes(dir.resolve("external").resolve(DevCertificateAuthority.ROOT_KEY)),
        "ca_chain_has_private_key");
    IssuedCertificate leaf = external.issueDevice("dev-1", Validity.days(1));
    assertRefused(pem(List.of(leaf.certificate(), external.rootCertificate())), "ca_chain_not_ca");
    assertRefused(pem(List.of(external.issuingCertificate())), "ca_chain_no_root");
    DevCertificateAuthority other =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    assertRefused(
        pem(List.of(external.issuingCertificate(), other.rootCertificate())),
        "ca_chain_incomplete");
    assertRefused(
        pem(List.of(external.rootCertificate())),
        "ca_chain_expired",
        now.plus(java.time.Duration.ofDays(365 * 30)));
  }

  private static void assertRefused(byte[] bundle, String code) {
    assertRefused(bundle, code, now);
  }

  private static void assertRefused(byte[] bundle, String code, Instant at) {
    assertThat(ExternalCaChain.read(bundle, at))
        .isInstanceOfSatisfying(
            ExternalCaChain.Refused.class, r -> assertThat(r.code()).isEqualTo(code));
  }

  private static byte[] pem(List<java.security.cert.X509Certificate> certificates) {
    return CertificateBundles.pem(certificates).getBytes(StandardCharsets.US_ASCII);
  }
}
