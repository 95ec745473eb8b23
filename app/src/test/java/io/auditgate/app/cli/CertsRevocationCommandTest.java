package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CRLReason;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auditgate certs revoke|crl} against the embedded store of a data directory. */
class CertsRevocationCommandTest {
  @TempDir Path dir;

  @Test
  void revokesACertificateOnceAndPublishesItInTheCrl() throws Exception {
    Path config = dir.resolve("auditgate.yaml");
    Files.writeString(config, "gateway:\n  id: gw-cli\n  data_dir: " + dir.resolve("data") + "\n");
    String caDir = dir.resolve("ca").toString();
    Path devices = dir.resolve("devices");
    assertThat(WalCommandTest.run("certs", "init", "--ca-dir", caDir).exitCode()).isZero();
    assertThat(
            WalCommandTest.run(
                    "certs",
                    "issue-device",
                    "sensor-9",
                    "--ca-dir",
                    caDir,
                    "--out",
                    devices.toString())
                .exitCode())
        .isZero();
    Path pem = devices.resolve("sensor-9.crt");
    X509Certificate certificate =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));

    WalCommandTest.Run revoked =
        WalCommandTest.run(
            "certs",
            "revoke",
            "--cert",
            pem.toString(),
            "--reason",
            "keyCompromise",
            "--ca-dir",
            caDir,
            "--config",
            config.toString());
    WalCommandTest.Run again =
        WalCommandTest.run(
            "certs",
            "revoke",
            "--serial",
            certificate.getSerialNumber().toString(16),
            "--reason",
            "superseded",
            "--ca-dir",
            caDir,
            "--config",
            config.toString());
    WalCommandTest.Run badReason =
        WalCommandTest.run(
            "certs",
            "revoke",
            "--serial",
            "abc",
            "--reason",
            "removeFromCRL",
            "--ca-dir",
            caDir,
            "--config",
            config.toString());
    WalCommandTest.Run unknown =
        WalCommandTest.run(
            "certs",
            "revoke",
            "--sha256",
            "ab".repeat(32),
            "--ca-dir",
            caDir,
            "--config",
            config.toString());
    Path crlFile = dir.resolve("issuing-ca.crl");
    WalCommandTest.Run crl =
        WalCommandTest.run(
            "certs",
            "crl",
            "--out",
            crlFile.toString(),
            "--ca-dir",
            caDir,
            "--config",
            config.toString());

    assertThat(revoked.exitCode()).as(revoked.err()).isZero();
    assertThat(revoked.out())
        .contains(certificate.getSerialNumber().toString(16))
        .contains("keyCompromise");
    assertThat(again.exitCode()).as(again.err()).isZero();
    assertThat(again.err()).contains("already revoked");
    assertThat(again.out()).as("the first reason stands").contains("keyCompromise");
    assertThat(badReason.exitCode()).isEqualTo(2);
    assertThat(badReason.err()).contains("unknown reason 'removeFromCRL'");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("--cert FILE or --serial HEX");
    assertThat(crl.exitCode()).as(crl.err()).isZero();
    assertThat(crl.err()).contains("1 entries");
    X509CRL parsed =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(Files.readAllBytes(crlFile)));
    assertThat(parsed.getRevokedCertificate(certificate).getRevocationReason())
        .isEqualTo(CRLReason.KEY_COMPROMISE);

    // --sha256 finds a certificate the inventory knows (here: imported from a file)
    Path other = dir.resolve("other");
    assertThat(
            WalCommandTest.run(
                    "certs",
                    "issue-device",
                    "sensor-10",
                    "--ca-dir",
                    caDir,
                    "--out",
                    other.toString())
                .exitCode())
        .isZero();
    Files.delete(other.resolve("sensor-10.key"));
    byte[] der =
        CertificateFactory.getInstance("X.509")
            .generateCertificate(
                new ByteArrayInputStream(Files.readAllBytes(other.resolve("sensor-10.crt"))))
            .getEncoded();
    String sha256 =
        java.util.HexFormat.of()
            .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(der));
    WalCommandTest.Run imported =
        WalCommandTest.run(
            "certs",
            "inventory",
            "import",
            other.toString(),
            "--ca-dir",
            caDir,
            "--config",
            config.toString());
    assertThat(imported.exitCode()).as(imported.err()).isZero();
    WalCommandTest.Run bySha =
        WalCommandTest.run(
            "certs",
            "revoke",
            "--sha256",
            sha256,
            "--reason",
            "superseded",
            "--ca-dir",
            caDir,
            "--config",
            config.toString());
    assertThat(bySha.exitCode()).as(bySha.err()).isZero();
    assertThat(bySha.out()).contains(sha256).contains("superseded");
    WalCommandTest.Run shown =
        WalCommandTest.run(
            "certs", "inventory", "show", sha256, "--ca-dir", caDir, "--config", config.toString());
    assertThat(shown.exitCode()).as(shown.err()).isZero();
    assertThat(shown.out())
        .as("the inventory reads revocation from the store")
        .containsPattern("status: +revoked");
  }
}
