package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * Section {@code health}: the thresholds of the readiness checks ({@code GET /readyz}).
 *
 * @param minFreeDisk the data directory's file system must have at least this much free, or {@code
 *     min_free_disk_percent} of its size, whichever is smaller (so a small disk is not failed for
 *     lacking an absolute amount it could never have); default 512 MiB
 * @param minFreeDiskPercent see {@code min_free_disk}; 0 to 100, default 5
 * @param sinkInterruptedAfter a sink whose deliveries have been failing for longer than this fails
 *     its check (a short blip is the dispatcher's business, not the load balancer's); default 60 s
 */
public record HealthConfig(
    DataSize minFreeDisk, Integer minFreeDiskPercent, Duration sinkInterruptedAfter) {
  public HealthConfig {
    minFreeDisk =
        Check.between(
            "min_free_disk",
            orDefault(minFreeDisk, DataSize.ofMebibytes(512)),
            DataSize.ofBytes(0),
            DataSize.ofGibibytes(1024 * 1024));
    minFreeDiskPercent = orDefault(minFreeDiskPercent, 5);
    Check.that(
        minFreeDiskPercent >= 0 && minFreeDiskPercent <= 100,
        "min_free_disk_percent",
        "must be between 0 and 100, got " + minFreeDiskPercent);
    sinkInterruptedAfter =
        Check.between(
            "sink_interrupted_after",
            orDefault(sinkInterruptedAfter, Duration.ofSeconds(60)),
            Duration.ZERO,
            Duration.ofDays(7));
  }

  public static HealthConfig defaults() {
    return new HealthConfig(null, null, null);
  }
}
