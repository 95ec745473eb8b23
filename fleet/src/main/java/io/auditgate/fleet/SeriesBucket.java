package io.auditgate.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * One bucket of a metric's time series. Buckets without samples are left out.
 *
 * @param time the bucket's start
 */
public record SeriesBucket(Instant time, long count, double min, double avg, double max) {
  public SeriesBucket {
    Objects.requireNonNull(time, "time");
    if (count < 1) {
      throw new IllegalArgumentException("count must be >= 1, got " + count);
    }
  }
}
