package io.auditgate.bench.queries;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of {@code auditgate bench queries}.
 *
 * @param devices devices in the fleet
 * @param gateways gateways the devices report through (device {@code i} through gateway {@code i %
 *     gateways})
 * @param points telemetry rows (points) to generate; spread evenly over the devices
 * @param metricsPerMessage metrics per message (a B-L475E-IOT01A reading has six)
 * @param interval how often each device reports; with {@code points} it sets how far back the
 *     history reaches
 * @param staleDevices devices that stopped reporting an hour before the end of the history
 * @param neverSeenDevices devices registered but never heard from
 * @param iterations timed runs of each dashboard query (after warm-up)
 * @param naiveIterations timed runs of each naive query (they take seconds each on the full size)
 * @param baseDir where the benchmark's PostgreSQL keeps its data; {@code null}: the temp directory
 */
public record QueryBenchOptions(
    int devices,
    int gateways,
    long points,
    int metricsPerMessage,
    Duration interval,
    int staleDevices,
    int neverSeenDevices,
    int iterations,
    int naiveIterations,
    Path baseDir) {
  public QueryBenchOptions {
    if (devices < 1 || gateways < 1 || gateways > devices) {
      throw new IllegalArgumentException(
          "need 1 <= gateways <= devices, got " + gateways + " and " + devices);
    }
    if (points < (long) devices * metricsPerMessage) {
      throw new IllegalArgumentException("need at least one message per device");
    }
    if (metricsPerMessage < 1 || metricsPerMessage > 6) {
      throw new IllegalArgumentException("metricsPerMessage must be 1..6");
    }
    if (staleDevices + neverSeenDevices >= devices) {
      throw new IllegalArgumentException("stale and never-seen devices must leave active ones");
    }
    if (iterations < 1 || naiveIterations < 1) {
      throw new IllegalArgumentException("iterations must be >= 1");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive");
    }
    if (baseDir == null) {
      baseDir = Path.of(System.getProperty("java.io.tmpdir"));
    }
  }

  /** The size: 1,000 devices, 100 million points, six metrics every 10 s (≈ 46 hours). */
  public static QueryBenchOptions defaults() {
    return new QueryBenchOptions(
        1_000, 10, 100_000_000L, 6, Duration.ofSeconds(10), 50, 20, 200, 3, null);
  }

  /** One million points: a smoke run of well under a minute. */
  public static QueryBenchOptions quick() {
    return new QueryBenchOptions(
        1_000, 10, 1_000_000L, 6, Duration.ofSeconds(10), 50, 20, 50, 3, null);
  }

  /** Messages each reporting device sent. */
  public long messagesPerDevice() {
    return points / metricsPerMessage / (devices - neverSeenDevices);
  }

  /** How far back the history reaches. */
  public Duration history() {
    return interval.multipliedBy(messagesPerDevice());
  }

  public QueryBenchOptions withPoints(long n) {
    return new QueryBenchOptions(
        devices,
        gateways,
        n,
        metricsPerMessage,
        interval,
        staleDevices,
        neverSeenDevices,
        iterations,
        naiveIterations,
        baseDir);
  }

  public QueryBenchOptions withBaseDir(Path dir) {
    return new QueryBenchOptions(
        devices,
        gateways,
        points,
        metricsPerMessage,
        interval,
        staleDevices,
        neverSeenDevices,
        iterations,
        naiveIterations,
        dir);
  }
}
