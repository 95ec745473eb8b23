package io.auditgate.web.est;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.auditgate.certs.CertificateBundles;
import io.auditgate.controlplane.enrolment.IssuanceMethod;
import io.auditgate.controlplane.enrolment.IssuanceRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EST with independent clients: {@code openssl req} makes the key and CSR, {@code curl} talks EST
 * (HTTP Basic with the token, then the issued certificate as TLS client certificate), {@code
 * openssl} reads the PKCS#7 answers and verifies the chain. Both tools are required: the test fails
 * (never skips) when one is missing.
 */
class EstWithOpensslAndCurlTest extends EstFixture {
  @TempDir Path work;

  @Test
  void opensslMadeCsrsEnrolAndReenrolThroughCurl() throws Exception {
    requireTool("openssl", "version");
    requireTool("curl", "--version");
    Path root = ca.rootCertificateFile();
    Path issuing = work.resolve("issuing.pem");
    Files.writeString(issuing, CertificateBundles.pem(List.of(ca.issuingCertificate())));
    String token = tokens.create("dev-ossl", java.time.Duration.ofHours(1)).secret();

    // cacerts, decoded and printed by openssl
    curl("-o", "cacerts.b64", url("/cacerts"));
    run("openssl", "base64", "-d", "-in", "cacerts.b64", "-out", "cacerts.p7");
    String caCerts = run("openssl", "pkcs7", "-inform", "DER", "-in", "cacerts.p7", "-print_certs");
    assertThat(caCerts).contains("Issuing CA").contains("Root CA");

    // first enrolment: openssl key + CSR, curl with the token as Basic password
    newCsr("key.pem", "csr.der");
    run("openssl", "base64", "-in", "csr.der", "-out", "csr.b64");
    String status =
        curl(
            "-u",
            "dev-ossl:" + token,
            "-H",
            "Content-Type: application/pkcs10",
            "--data-binary",
            "@csr.b64",
            "-o",
            "cert.b64",
            url("/simpleenroll"));
    assertThat(status).as(read("cert.b64")).isEqualTo("200");
    run("openssl", "base64", "-d", "-in", "cert.b64", "-out", "cert.p7");
    run("openssl", "pkcs7", "-inform", "DER", "-in", "cert.p7", "-print_certs", "-out", "cert.pem");
    assertThat(
            run(
                "openssl",
                "verify",
                "-CAfile",
                root.toString(),
                "-untrusted",
                issuing.toString(),
                "-purpose",
                "sslclient",
                "cert.pem"))
        .contains("cert.pem: OK");
    assertThat(run("openssl", "x509", "-in", "cert.pem", "-noout", "-ext", "subjectAltName"))
        .contains("URI:urn:auditgate:device:dev-ossl");
    // the issued certificate is for the key openssl made
    assertThat(run("openssl", "x509", "-in", "cert.pem", "-noout", "-pubkey"))
        .isEqualTo(run("openssl", "pkey", "-in", "key.pem", "-pubout"));

    // the token is spent
    assertThat(
            curl(
                "-u",
                "dev-ossl:" + token,
                "-H",
                "Content-Type: application/pkcs10",
                "--data-binary",
                "@csr.b64",
                "-o",
                "again.txt",
                url("/simpleenroll")))
        .isEqualTo("401");
    assertThat(read("again.txt")).startsWith("token_used: ");

    // re-enrolment with the issued certificate as TLS client certificate
    Files.writeString(work.resolve("chain.pem"), read("cert.pem") + Files.readString(issuing));
    newCsr("key2.pem", "csr2.der");
    run("openssl", "base64", "-in", "csr2.der", "-out", "csr2.b64");
    String renewed =
        curl(
            "--cert",
            "chain.pem",
            "--key",
            "key.pem",
            "-H",
            "Content-Type: application/pkcs10",
            "--data-binary",
            "@csr2.b64",
            "-o",
            "cert2.b64",
            url("/simplereenroll"));
    assertThat(renewed).as(read("cert2.b64")).isEqualTo("200");
    run("openssl", "base64", "-d", "-in", "cert2.b64", "-out", "cert2.p7");
    run(
        "openssl",
        "pkcs7",
        "-inform",
        "DER",
        "-in",
        "cert2.p7",
        "-print_certs",
        "-out",
        "cert2.pem");
    assertThat(run("openssl", "x509", "-in", "cert2.pem", "-noout", "-pubkey"))
        .isEqualTo(run("openssl", "pkey", "-in", "key2.pem", "-pubout"));
    assertThat(heard)
        .extracting(IssuanceRecord::method)
        .containsExactly(IssuanceMethod.ENROLL, IssuanceMethod.REENROLL);
  }

  private void newCsr(String key, String csr) throws Exception {
    run(
        "openssl",
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key,
        "-subj",
        "/CN=dev-ossl",
        "-addext",
        "subjectAltName=URI:urn:auditgate:device:dev-ossl",
        "-outform",
        "DER",
        "-out",
        csr);
  }

  private String url(String path) {
    return server.baseUrl() + EstRoutes.PREFIX + path;
  }

  /** Runs curl against the server (trusting only the CA); returns the HTTP status. */
  private String curl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
    command.addAll(List.of("--cacert", ca.rootCertificateFile().toString()));
    command.addAll(List.of("-w", "%{http_code}"));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new)).trim();
  }

  private String read(String file) throws IOException {
    Path path = work.resolve(file);
    return Files.exists(path) ? Files.readString(path) : "(no " + file + ")";
  }

  private String run(String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 60 s");
    }
    String text = new String(output, StandardCharsets.UTF_8);
    assertThat(process.exitValue())
        .as("%s exited with output:%n%s", String.join(" ", command), text)
        .isZero();
    return text;
  }

  private void requireTool(String tool, String versionFlag) {
    try {
      Process process = new ProcessBuilder(tool, versionFlag).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      if (process.waitFor() != 0) {
        fail(tool + " " + versionFlag + " failed; this test needs a working " + tool);
      }
    } catch (IOException | InterruptedException e) {
      fail(
          tool
              + " is required by this test (an independent EST client) and was not found on the"
              + " PATH; install it (the CI image does: .ci/run)",
          e);
    }
  }
}
