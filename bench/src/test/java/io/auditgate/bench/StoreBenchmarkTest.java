package io.auditgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreBenchmarkTest {
  @TempDir Path base;

  @Test
  void tinyRunComparesTheStoreWithBothBaselinesInPointsPerSecond() throws Exception {
    StoreBenchOptions options = new StoreBenchOptions(50, 2, 2, 3, 5, base);
    ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

    StoreBenchResult result = StoreBenchmark.run(options, progress);

    assertThat(result.rounds()).hasSize(1);
    StoreBenchResult.Round round = result.rounds().get(0);
    assertThat(round.ratio())
        .isEqualTo(round.storeRowsPerSecond() / round.copySameTablesPerSecond());
    assertThat(round.unindexedRatio())
        .isEqualTo(round.storeRowsPerSecond() / round.copyUnindexedPerSecond());
    // warm-up and measured round, two batches each, all new: every one by the fast path
    assertThat(result.fastBatches()).isEqualTo(4);
    assertThat(result.mergedBatches()).isZero();
    assertThat(result.replayRowsPerSecond()).isPositive();

    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertThat(json.at("/settings/unit").asText()).contains("points per second");
    assertThat(json.at("/result/ratio").asDouble())
        .isCloseTo(result.ratio(), org.assertj.core.data.Offset.offset(0.001));
    assertThat(json.at("/result/ratio_vs_unindexed").asDouble())
        .isCloseTo(result.unindexedRatio(), org.assertj.core.data.Offset.offset(0.001));
    assertThat(json.at("/result/copy_same_tables_rows_per_second").asLong()).isPositive();
    assertThat(json.at("/result/copy_unindexed_rows_per_second").asLong()).isPositive();
    assertThat(json.at("/result/store_fast_path_batches").asLong()).isEqualTo(4);
    assertThat(json.at("/rounds/0/ratio_vs_unindexed").isNumber()).isTrue();

    String text = progressBytes.toString(StandardCharsets.UTF_8);
    assertThat(text)
        .contains("COPY of the same rows (messages + points) into the same tables")
        .contains("into tables without unique indexes")
        .contains("median points/s");
  }
}
