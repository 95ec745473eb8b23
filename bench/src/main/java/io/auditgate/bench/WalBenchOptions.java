package io.auditgate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of {@code auditgate bench wal}.
 *
 * @param recordSizes message body sizes in bytes, each a row of cells
 * @param producerCounts concurrent closed-loop producers, each a column of cells
 * @param cellDuration how long each contender is measured in each cell
 * @param warmup how long each contender runs in each cell before measuring
 * @param baseDir where the temporary directories are created; every contender writes to the same
 *     filesystem. {@code null} means the system temporary directory
 */
public record WalBenchOptions(
    List<Integer> recordSizes,
    List<Integer> producerCounts,
    Duration cellDuration,
    Duration warmup,
    Path baseDir) {

  public WalBenchOptions {
    recordSizes = List.copyOf(recordSizes);
    producerCounts = List.copyOf(producerCounts);
    if (recordSizes.isEmpty() || recordSizes.stream().anyMatch(s -> s < 1 || s > 1024 * 1024)) {
      throw new IllegalArgumentException(
          "record sizes must be 1..1048576 bytes, got " + recordSizes);
    }
    if (producerCounts.isEmpty() || producerCounts.stream().anyMatch(p -> p < 1 || p > 4096)) {
      throw new IllegalArgumentException("producer counts must be 1..4096, got " + producerCounts);
    }
    if (cellDuration.isNegative() || cellDuration.isZero()) {
      throw new IllegalArgumentException("cell duration must be positive, got " + cellDuration);
    }
    if (warmup.isNegative()) {
      throw new IllegalArgumentException("warm-up must not be negative, got " + warmup);
    }
    if (baseDir == null) {
      baseDir = Path.of(System.getProperty("java.io.tmpdir"));
    }
  }

  /** The grid: 256 B and 1 KiB × 1, 16 and 256 producers; 3 s cells after 1 s warm-up. */
  public static WalBenchOptions defaults() {
    return new WalBenchOptions(
        List.of(256, 1024),
        List.of(1, 16, 256),
        Duration.ofSeconds(3),
        Duration.ofSeconds(1),
        null);
  }

  /** The same grid with 1 s cells after 300 ms warm-up: a smoke run of well under a minute. */
  public static WalBenchOptions quick() {
    return defaults().withCellDuration(Duration.ofSeconds(1)).withWarmup(Duration.ofMillis(300));
  }

  public WalBenchOptions withRecordSizes(List<Integer> sizes) {
    return new WalBenchOptions(sizes, producerCounts, cellDuration, warmup, baseDir);
  }

  public WalBenchOptions withProducerCounts(List<Integer> counts) {
    return new WalBenchOptions(recordSizes, counts, cellDuration, warmup, baseDir);
  }

  public WalBenchOptions withCellDuration(Duration duration) {
    return new WalBenchOptions(recordSizes, producerCounts, duration, warmup, baseDir);
  }

  public WalBenchOptions withWarmup(Duration duration) {
    return new WalBenchOptions(recordSizes, producerCounts, cellDuration, duration, baseDir);
  }

  public WalBenchOptions withBaseDir(Path dir) {
    return new WalBenchOptions(recordSizes, producerCounts, cellDuration, warmup, dir);
  }
}
