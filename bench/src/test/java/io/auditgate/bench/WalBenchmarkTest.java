package io.auditgate.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.bench.WalBenchResult.Cell;
import io.auditgate.bench.WalBenchResult.Figures;
import io.auditgate.bench.WalBenchResult.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalBenchmarkTest {
  private static final List<String> CONTENDERS =
      List.of(
          WalBenchResult.AUDITGATE,
          WalBenchResult.SQLITE_PER_MESSAGE,
          WalBenchResult.SQLITE_GROUP_COMMIT,
          WalBenchResult.RAW_FORCE);

  @TempDir Path base;

  @Test
  void tinyRunMeasuresEveryContenderAndReportsItAsJson() throws Exception {
    WalBenchOptions options =
        new WalBenchOptions(
            List.of(256), List.of(1, 4), Duration.ofMillis(200), Duration.ofMillis(100), base);
    ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

    WalBenchResult result = WalBenchmark.run(options, progress);

    assertThat(result.cells()).hasSize(2);
    for (Cell cell : result.cells()) {
      assertThat(cell.figures())
          .extracting(Figures::contender)
          .containsExactlyElementsOf(CONTENDERS);
      for (Figures f : cell.figures()) {
        assertThat(f.errors()).as(f.contender() + ": " + f.firstError()).isZero();
        assertThat(f.appendsPerSecond()).as(f.contender()).isPositive();
        assertThat(f.appends()).as(f.contender()).isPositive();
        assertThat(f.p99Micros())
            .as(f.contender())
            .isGreaterThanOrEqualTo(f.p50Micros())
            .isPositive();
        assertThat(f.meanBatchRecords()).as(f.contender()).isGreaterThanOrEqualTo(1);
        assertThat(f.totalRecords()).as(f.contender()).isGreaterThanOrEqualTo(f.appends());
      }
      // The WAL and the raw file hold every record they acknowledged, each behind a 25-byte header.
      for (String writer : List.of(WalBenchResult.AUDITGATE, WalBenchResult.RAW_FORCE)) {
        Figures f = cell.figures(writer);
        assertThat(f.diskBytes()).as(writer).isGreaterThanOrEqualTo(f.totalRecords() * (256 + 25));
      }
      assertThat(cell.figures(WalBenchResult.SQLITE_PER_MESSAGE).diskBytes()).isPositive();
      assertThat(cell.figures(WalBenchResult.SQLITE_GROUP_COMMIT).diskBytes()).isPositive();
    }
    assertThat(progressBytes.toString(StandardCharsets.UTF_8).lines())
        .filteredOn(line -> line.contains("producers:"))
        .hasSize(2);

    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertThat(json.path("machine").path("cores").asInt()).isPositive();
    assertThat(json.path("settings").path("producer_counts")).hasSize(2);
    assertThat(json.path("cells")).hasSize(2);
    for (JsonNode cell : json.path("cells")) {
      for (String name : CONTENDERS) {
        JsonNode figures = cell.path("contenders").path(name);
        assertThat(figures.path("appends_per_second").asDouble()).as(name).isPositive();
        assertThat(figures.has("p50_us") && figures.has("p99_us")).as(name).isTrue();
      }
      for (String competitor : CONTENDERS.subList(1, 4)) {
        assertThat(cell.path("ratios").path("auditgate_vs_" + competitor).asDouble())
            .as(competitor)
            .isPositive();
      }
    }
    JsonNode checks = json.path("targets").path("checks");
    assertThat(checks).hasSize(4);
    for (JsonNode check : checks) {
      assertThat(check.path("producers").asInt()).isEqualTo(4);
      assertThat(check.path("met").isBoolean()).isTrue();
      assertThat(check.path("actual").isNumber()).isTrue();
    }
    assertThat(json.path("targets").path("all_met").asBoolean()).isEqualTo(result.allTargetsMet());

    try (Stream<Path> left = Files.list(base)) {
      assertThat(left).as("temporary directories are deleted").isEmpty();
    }
  }

  @Test
  void targetsCompareAuditgateWithEachCompetitorAtTheLargestProducerCount() {
    Cell small = cell(16, 1000, 100, 500, 1000, 1_000);
    Cell large = cell(256, 100_000, 4_000, 40_000, 150_000, 25_000);
    List<Target> targets = WalBenchResult.evaluateTargets(List.of(small, large));

    assertThat(targets).allMatch(t -> t.producers() == 256).hasSize(4);
    assertThat(targets)
        .extracting(Target::name, Target::actual, Target::met)
        .containsExactly(
            tuple("throughput_vs_sqlite_per_message", 25.0, true),
            tuple("throughput_vs_sqlite_group_commit", 2.5, true),
            tuple("throughput_vs_raw_force", 100_000 / 150_000.0, true),
            tuple("auditgate_p99_latency", 25.0, false));
  }

  @Test
  void quantilesAreExactNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = (i + 1) * 1000L;
    }
    assertThat(WalBenchmark.quantileMicros(sorted, 0.50)).isEqualTo(50.0);
    assertThat(WalBenchmark.quantileMicros(sorted, 0.99)).isEqualTo(99.0);
    assertThat(WalBenchmark.quantileMicros(new long[] {7000}, 0.99)).isEqualTo(7.0);
    assertThat(WalBenchmark.quantileMicros(new long[0], 0.5)).isZero();
  }

  @Test
  void mainParsesItsArguments() {
    WalBenchOptions options =
        WalBenchMain.parse(new String[] {"--quick", "--duration-seconds", "2", "--dir", "/x"});
    assertThat(options.cellDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.warmup()).isEqualTo(WalBenchOptions.quick().warmup());
    assertThat(options.baseDir()).isEqualTo(Path.of("/x"));
    assertThat(options.recordSizes()).containsExactly(256, 1024);
    assertThat(WalBenchMain.parse(new String[] {"--help"})).isNull();
    assertThatThrownBy(() -> WalBenchMain.parse(new String[] {"--bogus"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(WalBenchmark.rounds(WalBenchOptions.defaults().cellDuration())).isEqualTo(3);
    assertThat(WalBenchmark.rounds(Duration.ofMillis(200))).isEqualTo(1);
  }

  /** A cell whose auditgate has the given throughput and a p99 of {@code p99Micros}. */
  private static Cell cell(
      int producers,
      double auditgate,
      double perMessage,
      double group,
      double raw,
      double p99Micros) {
    return new Cell(
        256,
        producers,
        List.of(
            figures(WalBenchResult.AUDITGATE, auditgate, p99Micros),
            figures(WalBenchResult.SQLITE_PER_MESSAGE, perMessage, 1),
            figures(WalBenchResult.SQLITE_GROUP_COMMIT, group, 1),
            figures(WalBenchResult.RAW_FORCE, raw, 1)));
  }

  private static Figures figures(String name, double perSecond, double p99Micros) {
    return new Figures(
        name, (long) perSecond, 1, perSecond, 1, p99Micros, 1, p99Micros, 1, 1, 1, 1, 1, 0, "");
  }
}
