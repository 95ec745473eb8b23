package io.auditgate.bench;

import io.auditgate.core.config.StoreConsumerConfig;
import java.nio.file.Path;

/**
 * Settings of {@code auditgate bench store}.
 *
 * @param batchRecords messages per batch (one transaction each, for both contenders)
 * @param batchesPerRound batches each contender writes per round
 * @param rounds interleaved rounds; the first is a warm-up and not counted
 * @param metricsPerMessage metrics per message, so points per message
 * @param devices devices the messages come from
 * @param baseDir where the benchmark's PostgreSQL keeps its data; {@code null} means the system
 *     temporary directory
 */
public record StoreBenchOptions(
    int batchRecords,
    int batchesPerRound,
    int rounds,
    int metricsPerMessage,
    int devices,
    Path baseDir) {
  public StoreBenchOptions {
    if (batchRecords < 1 || batchesPerRound < 1 || rounds < 2 || devices < 1) {
      throw new IllegalArgumentException(
          "need batchRecords, batchesPerRound, devices >= 1 and rounds >= 2, got "
              + batchRecords
              + ", "
              + batchesPerRound
              + ", "
              + devices
              + ", "
              + rounds);
    }
    if (metricsPerMessage < 1 || metricsPerMessage > 32) {
      throw new IllegalArgumentException(
          "metricsPerMessage must be 1..32, got " + metricsPerMessage);
    }
    if (baseDir == null) {
      baseDir = Path.of(System.getProperty("java.io.tmpdir"));
    }
  }

  /**
   * Batches of the store consumer's default size (20,000 messages) with 6 metrics each (a
   * B-L475E-IOT01A reading), 5 batches per round, 1 warm-up round and 8 measured (the machines are
   * noisy: a median of 4 moved by ±0.05 between runs): 600,000 points per contender per round.
   */
  public static StoreBenchOptions defaults() {
    return new StoreBenchOptions(StoreConsumerConfig.DEFAULT_MAX_BATCH_RECORDS, 5, 9, 6, 100, null);
  }

  /** 2,000-message batches, 5 per round, 1 + 2 rounds: a smoke run of a few seconds. */
  public static StoreBenchOptions quick() {
    return new StoreBenchOptions(2_000, 5, 3, 6, 100, null);
  }

  public StoreBenchOptions withBatchRecords(int n) {
    return new StoreBenchOptions(n, batchesPerRound, rounds, metricsPerMessage, devices, baseDir);
  }

  public StoreBenchOptions withRounds(int n) {
    return new StoreBenchOptions(
        batchRecords, batchesPerRound, n, metricsPerMessage, devices, baseDir);
  }

  public StoreBenchOptions withBatchesPerRound(int n) {
    return new StoreBenchOptions(batchRecords, n, rounds, metricsPerMessage, devices, baseDir);
  }

  public StoreBenchOptions withBaseDir(Path dir) {
    return new StoreBenchOptions(
        batchRecords, batchesPerRound, rounds, metricsPerMessage, devices, dir);
  }
}
