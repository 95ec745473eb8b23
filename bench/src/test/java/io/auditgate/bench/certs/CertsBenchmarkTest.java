package io.auditgate.bench.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The combined report, tiny: every part ran on real components and reported its figures. */
class CertsBenchmarkTest {
  @TempDir Path dir;

  @Test
  void reportsIssuanceInventoryAndCrlWithTheirTargets() throws Exception {
    CertsBenchmark.Result result =
        CertsBenchmark.run(
            new CertsBenchmark.Options(10, 300, 300, 1, 3),
            dir,
            new PrintStream(new ByteArrayOutputStream(), true));

    JsonNode report = new ObjectMapper().readTree(result.json());
    assertThat(report.path("issuance")).hasSize(2);
    assertThat(report.path("issuance").get(0).path("algorithm").asText()).isEqualTo("EC_P256");
    assertThat(report.path("issuance").get(0).path("openssl_ca_per_second").asLong()).isPositive();
    assertThat(report.path("inventory").size()).isGreaterThanOrEqualTo(2);
    assertThat(report.path("crl").path("entries").asInt()).isEqualTo(300);
    assertThat(report.path("all_targets_met").asBoolean()).isEqualTo(result.targetsMet());
  }
}
