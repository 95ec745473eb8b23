package io.auditgate.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of {@code auditgate bench pipeline}: it checks the measurement works end to end (every
 * acknowledged message is seen in the database and gets a latency), not how fast anything is.
 */
class PipelineBenchmarkTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedMessageIsSeenInTheDatabaseWithALatency() throws Exception {
    var tiny =
        new PipelineBenchmark.Options(
            2, 20, List.of(40), Duration.ofSeconds(2), Duration.ofSeconds(1), Optional.of(dir));
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    PipelineBenchmark.Result result =
        PipelineBenchmark.run(tiny, new PrintStream(progress, true, StandardCharsets.UTF_8));

    JsonNode json = new ObjectMapper().readTree(result.json());
    JsonNode fixed = json.get("fixed_load");
    assertThat(fixed.get("acknowledged").asLong()).as(progress.toString()).isPositive();
    assertThat(fixed.get("visible").asLong()).isEqualTo(fixed.get("acknowledged").asLong());
    assertThat(fixed.get("not_visible_after_drain").asLong()).isZero();
    assertThat(fixed.get("visible_p50_ms").asDouble())
        .isPositive()
        .isLessThanOrEqualTo(fixed.get("visible_p99_ms").asDouble());
    // The worst per publish second covers the whole step: its largest is the step's maximum.
    JsonNode worst = fixed.get("visible_max_ms_by_publish_second");
    assertThat(worst.size()).isBetween(1, 4);
    double largest = 0;
    for (JsonNode ms : worst) {
      largest = Math.max(largest, ms.asDouble());
    }
    assertThat(largest).isEqualTo(fixed.get("visible_max_ms").asDouble());
    assertThat(json.get("ramp")).hasSize(1);
    assertThat(json.at("/targets/fixed_load_p99_under_1s").isBoolean()).isTrue();
  }
}
