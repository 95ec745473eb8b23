package io.auditgate.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Telemetry samples (metric values) stored per bucket for one gateway: the dashboard's "samples per
 * gateway" chart. Buckets without samples are left out.
 */
public record GatewaySamples(String gatewayId, List<Bucket> buckets) {
  public GatewaySamples {
    Objects.requireNonNull(gatewayId, "gatewayId");
    buckets = List.copyOf(buckets);
  }

  /** Samples with a time in {@code [time, time + bucket)}. */
  public record Bucket(Instant time, long samples) {
    public Bucket {
      Objects.requireNonNull(time, "time");
      Values.notNegative("samples", samples);
    }
  }

  /** All samples of all buckets. */
  public long total() {
    return buckets.stream().mapToLong(Bucket::samples).sum();
  }
}
