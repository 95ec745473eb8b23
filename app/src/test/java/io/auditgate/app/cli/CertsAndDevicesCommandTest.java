package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.ingest.auth.CredentialStore;
import io.auditgate.ingest.auth.CredentialsFile;
import io.auditgate.ingest.auth.DeviceCredentials.SecretKind;
import io.auditgate.ingest.auth.Fingerprints;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA and credential commands, run as the real command line against real files. */
class CertsAndDevicesCommandTest {
  @TempDir Path dir;

  @Test
  void createsACaAndIssuesServerAndDeviceCertificates() throws Exception {
    String ca = dir.resolve("ca").toString();
    assertThat(WalCommandTest.run("certs", "init", "--ca-dir", ca).exitCode()).isZero();
    assertThat(WalCommandTest.run("certs", "init", "--ca-dir", ca).exitCode())
        .as("never overwrites a CA")
        .isEqualTo(2);
    assertThat(
            WalCommandTest.run(
                    "certs",
                    "issue-server",
                    "--ca-dir",
                    ca,
                    "--host",
                    "localhost",
                    "--out",
                    dir.resolve("tls").toString())
                .exitCode())
        .isZero();
    var issued =
        WalCommandTest.run(
            "certs",
            "issue-device",
            "--ca-dir",
            ca,
            "--out",
            dir.resolve("devices").toString(),
            "b-l475e-0007");
    assertThat(issued.exitCode()).isZero();
    assertThat(issued.out()).contains("sha256:");

    X509Certificate device = firstCertificate(dir.resolve("devices/b-l475e-0007.crt"));
    assertThat(device.getSubjectX500Principal().getName()).contains("CN=b-l475e-0007");
    assertThat(device.getSubjectAlternativeNames())
        .anySatisfy(
            san -> assertThat(san).isEqualTo(List.of(6, "urn:auditgate:device:b-l475e-0007")));
    assertThat(Files.exists(dir.resolve("tls/server.key"))).isTrue();
  }

  @Test
  void bindsACertificateToOneDeviceOnly() throws Exception {
    String ca = dir.resolve("ca").toString();
    WalCommandTest.run("certs", "init", "--ca-dir", ca);
    String out = dir.resolve("devices").toString();
    WalCommandTest.run("certs", "issue-device", "--ca-dir", ca, "--out", out, "dev-1", "dev-2");
    String bindings = dir.resolve("bindings.jsonl").toString();
    String cert1 = dir.resolve("devices/dev-1.crt").toString();

    var bound =
        WalCommandTest.run(
            "devices",
            "bind-certificate",
            "dev-1",
            "--certificate",
            cert1,
            "--bindings-file",
            bindings);
    assertThat(bound.exitCode()).as(bound.err()).isZero();
    var again =
        WalCommandTest.run(
            "devices",
            "bind-certificate",
            "dev-1",
            "--certificate",
            cert1,
            "--bindings-file",
            bindings);
    assertThat(again.exitCode()).isZero();
    assertThat(again.err()).contains("already bound");
    var stolen =
        WalCommandTest.run(
            "devices",
            "bind-certificate",
            "dev-2",
            "--certificate",
            cert1,
            "--bindings-file",
            bindings);
    assertThat(stolen.exitCode()).isEqualTo(2);
    assertThat(stolen.err()).contains("is bound to dev-1");

    String fingerprint = Fingerprints.sha256Hex(firstCertificate(Path.of(cert1)));
    assertThat(Files.readAllLines(Path.of(bindings)))
        .filteredOn(line -> !line.startsWith("#"))
        .containsExactly("{\"device_id\":\"dev-1\",\"sha256\":\"" + fingerprint + "\"}");
  }

  @Test
  void storesOnlyHashesOfPasswordsAndTokens() throws Exception {
    Path file = dir.resolve("credentials.jsonl");
    InputStream stdin = System.in;
    try {
      System.setIn(new ByteArrayInputStream("s3cret-pass\n".getBytes(StandardCharsets.UTF_8)));
      assertThat(
              WalCommandTest.run(
                      "devices",
                      "add-credential",
                      "b-l475e-0001",
                      "--password-stdin",
                      "--credentials-file",
                      file.toString())
                  .exitCode())
          .isZero();
    } finally {
      System.setIn(stdin);
    }
    var token =
        WalCommandTest.run(
            "devices",
            "add-credential",
            "b-l475e-0001",
            "--token",
            "--credentials-file",
            file.toString());
    assertThat(token.exitCode()).isZero();
    String printed = token.out().trim();
    assertThat(printed).startsWith("b-l475e-0001.");

    String stored = Files.readString(file);
    assertThat(stored).doesNotContain("s3cret-pass").doesNotContain(printed.substring(13));
    CredentialStore store = CredentialsFile.read(file);
    assertThat(
            store.verify(
                "b-l475e-0001",
                SecretKind.PASSWORD,
                "s3cret-pass".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(CredentialStore.Verification.MATCH);
    assertThat(
            store.verify(
                "b-l475e-0001", SecretKind.TOKEN, printed.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(CredentialStore.Verification.MATCH);
    assertThat(
            store.verify(
                "b-l475e-0001", SecretKind.PASSWORD, "wrong".getBytes(StandardCharsets.UTF_8)))
        .isNotEqualTo(CredentialStore.Verification.MATCH);
  }

  private static X509Certificate firstCertificate(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
