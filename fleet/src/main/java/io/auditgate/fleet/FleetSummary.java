package io.auditgate.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The fleet at a glance.
 *
 * @param asOf the read model's clock when the summary was taken
 * @param window the window the "in window" figures cover, ending at {@code asOf}
 * @param samplesInWindow telemetry samples (metric values) stored with a time in the window
 * @param stateChangesInWindow device and gateway state changes recorded in the window
 * @param lastEvaluationAt when the state monitor last evaluated; states are as of then
 */
public record FleetSummary(
    Instant asOf,
    Duration window,
    DeviceCounts devices,
    GatewayCounts gateways,
    long samplesInWindow,
    long stateChangesInWindow,
    Optional<Instant> lastEvaluationAt) {
  public FleetSummary {
    Objects.requireNonNull(asOf, "asOf");
    Values.positive("window", window);
    Objects.requireNonNull(devices, "devices");
    Objects.requireNonNull(gateways, "gateways");
    Values.notNegative("samplesInWindow", samplesInWindow);
    Values.notNegative("stateChangesInWindow", stateChangesInWindow);
    Objects.requireNonNull(lastEvaluationAt, "lastEvaluationAt");
  }

  /** Devices by state; {@code total} is their sum. */
  public record DeviceCounts(long total, long active, long stale, long offline, long neverSeen) {
    public DeviceCounts {
      if (active < 0 || stale < 0 || offline < 0 || neverSeen < 0) {
        throw new IllegalArgumentException("counts must be >= 0");
      }
      if (total != active + stale + offline + neverSeen) {
        throw new IllegalArgumentException("total must be the sum of the states");
      }
    }
  }

  /**
   * Gateways by state; {@code total} is their sum. {@code backlogRecords} is the sum of their last
   * reported backlogs.
   */
  public record GatewayCounts(
      long total,
      long up,
      long down,
      long restarted,
      long upstreamInterrupted,
      long backlogRecords) {
    public GatewayCounts {
      if (up < 0 || down < 0 || restarted < 0 || upstreamInterrupted < 0 || backlogRecords < 0) {
        throw new IllegalArgumentException("counts must be >= 0");
      }
      if (total != up + down + restarted + upstreamInterrupted) {
        throw new IllegalArgumentException("total must be the sum of the states");
      }
    }
  }
}
