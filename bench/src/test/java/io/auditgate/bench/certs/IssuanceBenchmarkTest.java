package io.auditgate.bench.certs;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.KeyAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness, tiny: both sides really issue every certificate (what they issue is checked). */
class IssuanceBenchmarkTest {
  @TempDir Path dir;

  @Test
  void bothSidesIssueEveryCsrFromTheSameCa() throws Exception {
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    IssuanceBenchmark.Result result =
        IssuanceBenchmark.run(KeyAlgorithm.EC_P256, 12, 1, dir, new PrintStream(progress, true));

    assertThat(result.auditgate().certificates()).isEqualTo(12);
    assertThat(result.openssl().certificates()).isEqualTo(12);
    assertThat(result.ratio()).isPositive();
    try (var files = Files.list(dir.resolve("round-1").resolve("openssl").resolve("issued"))) {
      assertThat(files.count()).isEqualTo(12);
    }
    assertThat(progress.toString()).contains("openssl").contains("auditgate");
  }
}
