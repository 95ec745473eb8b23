package io.auditgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the CRL benchmark: both contenders really produce the same list. */
class CrlBenchmarkTest {
  @TempDir Path dir;

  @Test
  void bothContendersSignTheSameSerials() throws Exception {
    CrlBenchmark.Result result =
        CrlBenchmark.run(200, 1, dir, new PrintStream(PrintStream.nullOutputStream()));

    assertThat(result.entries()).isEqualTo(200);
    assertThat(result.crlBytes()).isGreaterThan(200 * 20);
    assertThat(result.toJson()).contains("\"benchmark\":\"crl\"").contains("\"entries\":200");
    X509CRL openssl =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(
                    new ByteArrayInputStream(Files.readAllBytes(dir.resolve("openssl/crl.pem"))));
    assertThat(openssl.getRevokedCertificates()).hasSize(200);
    assertThat(openssl.getRevokedCertificate(new java.math.BigInteger("10000000", 16))).isNotNull();
  }
}
