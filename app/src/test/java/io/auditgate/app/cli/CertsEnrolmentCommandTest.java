package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CertificateBundles;
import io.auditgate.certs.DeviceCsr;
import io.auditgate.certs.KeyAlgorithm;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auditgate certs enrol-token create} and {@code certs issue} against the embedded store.
 */
class CertsEnrolmentCommandTest {
  @TempDir Path dir;

  @Test
  void createsATokenOnceAndIssuesFromACsrForTheNamedDeviceOnly() throws Exception {
    Path ca = dir.resolve("ca");
    Path config = dir.resolve("auditgate.yaml");
    Files.writeString(
        config,
        "gateway:\n  id: gw-cli\n  data_dir: "
            + dir.resolve("data")
            + "\ncertificates:\n  enrolment:\n    ca_dir: "
            + ca
            + "\n    device_certificate_lifetime: 30d\n");
    assertThat(WalCommandTest.run("certs", "init", "--ca-dir", ca.toString()).exitCode()).isZero();

    WalCommandTest.Run token =
        WalCommandTest.run(
            "certs",
            "enrol-token",
            "create",
            "--device",
            "dev-1",
            "--ttl",
            "2h",
            "--config",
            config.toString());
    assertThat(token.exitCode()).as(token.err()).isZero();
    assertThat(token.out().trim()).matches("^aget_[A-Za-z0-9_-]{43}$");
    assertThat(token.err()).contains("dev-1").contains("only this once");

    KeyPair keys = KeyAlgorithm.EC_P256.generate(new SecureRandom());
    Path csr = dir.resolve("dev-1.csr");
    Files.writeString(
        csr,
        "-----BEGIN CERTIFICATE REQUEST-----\n"
            + Base64.getMimeEncoder().encodeToString(DeviceCsr.create("dev-1", keys))
            + "\n-----END CERTIFICATE REQUEST-----\n");
    WalCommandTest.Run issued =
        WalCommandTest.run(
            "certs",
            "issue",
            "--csr",
            csr.toString(),
            "--device",
            "dev-1",
            "--config",
            config.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    assertThat(issued.err()).contains("issued serial").contains("dev-1");
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(
                    new ByteArrayInputStream(issued.out().getBytes(StandardCharsets.US_ASCII)));
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(certificate.getNotAfter().getTime() - certificate.getNotBefore().getTime())
        .as("30 days plus the 5-minute backdating")
        .isEqualTo((30L * 24 * 60 + 5) * 60 * 1000);
    assertThat(issued.out()).contains(CertificateBundles.pem(java.util.List.of(certificate)));

    WalCommandTest.Run refused =
        WalCommandTest.run(
            "certs",
            "issue",
            "--csr",
            csr.toString(),
            "--device",
            "dev-2",
            "--config",
            config.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("csr_identity_mismatch");
    assertThat(refused.out()).doesNotContain("BEGIN CERTIFICATE");

    WalCommandTest.Run printed = WalCommandTest.run("config", "--config", config.toString());
    assertThat(printed.out())
        .contains("certificates:\n  enrolment:\n")
        .contains("ca_dir: " + ca)
        .contains("allowed_keys:")
        .contains("minimum_rsa_bits: 2048");

    WalCommandTest.Run help = WalCommandTest.run("certs", "issue", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--csr").contains("--device");
  }
}
