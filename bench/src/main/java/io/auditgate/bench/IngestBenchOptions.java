package io.auditgate.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of {@code auditgate bench ingest}.
 *
 * @param publishers publishing connections, each its own device
 * @param window QoS 1 publishes each connection keeps awaiting their PUBACK
 * @param round measured time per target per round
 * @param rounds interleaved rounds (auditgate, Mosquitto, Mosquitto, auditgate, …)
 * @param warmup unmeasured publishing per target before the first round
 * @param idleConnections idle mutual-TLS connections to hold open against each target; 0 skips
 * @param baseDir where the gateway's log, Mosquitto's persistence and the certificates go
 */
public record IngestBenchOptions(
    int publishers,
    int window,
    Duration round,
    int rounds,
    Duration warmup,
    int idleConnections,
    Path baseDir) {
  public IngestBenchOptions {
    if (publishers < 1 || window < 1 || rounds < 1 || idleConnections < 0) {
      throw new IllegalArgumentException(
          "publishers, window and rounds must be positive and idle connections not negative");
    }
    if (round.isNegative() || round.isZero()) {
      throw new IllegalArgumentException("round duration must be positive");
    }
  }

  /**
   * The full run: 16 publishers, 10 s of warm-up and 3 rounds of 10 s each per target, 10,000 idle
   * connections.
   */
  public static IngestBenchOptions defaults() {
    return new IngestBenchOptions(
        16,
        32,
        Duration.ofSeconds(10),
        3,
        Duration.ofSeconds(10),
        10_000,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /** A smoke run of well under a minute: 2 rounds of 3 s, 1,000 idle connections. */
  public static IngestBenchOptions quick() {
    return new IngestBenchOptions(
        8,
        32,
        Duration.ofSeconds(3),
        2,
        Duration.ofSeconds(2),
        1_000,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  public IngestBenchOptions withPublishers(int n) {
    return new IngestBenchOptions(n, window, round, rounds, warmup, idleConnections, baseDir);
  }

  public IngestBenchOptions withWindow(int w) {
    return new IngestBenchOptions(publishers, w, round, rounds, warmup, idleConnections, baseDir);
  }

  public IngestBenchOptions withRound(Duration d) {
    return new IngestBenchOptions(publishers, window, d, rounds, warmup, idleConnections, baseDir);
  }

  public IngestBenchOptions withRounds(int n) {
    return new IngestBenchOptions(publishers, window, round, n, warmup, idleConnections, baseDir);
  }

  public IngestBenchOptions withWarmup(Duration d) {
    return new IngestBenchOptions(publishers, window, round, rounds, d, idleConnections, baseDir);
  }

  public IngestBenchOptions withIdleConnections(int c) {
    return new IngestBenchOptions(publishers, window, round, rounds, warmup, c, baseDir);
  }

  public IngestBenchOptions withBaseDir(Path dir) {
    return new IngestBenchOptions(publishers, window, round, rounds, warmup, idleConnections, dir);
  }
}
