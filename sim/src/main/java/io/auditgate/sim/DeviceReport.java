package io.auditgate.sim;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * One board's part of a run. Reconciles exactly: every due reading was either published (under a
 * kind other than {@link MessageKind#DUPLICATE}) or skipped, so {@code scheduled == sent −
 * sent(DUPLICATE) + skipped}.
 *
 * @param deviceId the board
 * @param scheduled readings due during the run
 * @param byKind what was published, by kind; every kind is present
 * @param skipped due readings not published, by reason; every reason is present
 * @param connects connections established (the first one and every reconnect)
 * @param connectFailures connection attempts refused or failed
 * @param connectionsLost connections closed by the broker or the network, not by the board
 * @param acknowledgedSeqs the {@code seq} of every reading the gateway acknowledged as telemetry
 *     (not dead-lettered), to reconcile against what was stored
 */
public record DeviceReport(
    String deviceId,
    long scheduled,
    Map<MessageKind, Counts> byKind,
    Map<SkipReason, Long> skipped,
    long connects,
    long connectFailures,
    long connectionsLost,
    SeqRanges acknowledgedSeqs) {

  public DeviceReport {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(acknowledgedSeqs, "acknowledgedSeqs");
    EnumMap<MessageKind, Counts> kinds = new EnumMap<>(MessageKind.class);
    for (MessageKind kind : MessageKind.values()) {
      kinds.put(kind, byKind.getOrDefault(kind, Counts.ZERO));
    }
    byKind = Collections.unmodifiableMap(kinds);
    EnumMap<SkipReason, Long> reasons = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      reasons.put(reason, skipped.getOrDefault(reason, 0L));
    }
    skipped = Collections.unmodifiableMap(reasons);
  }

  /** All kinds together. */
  public Counts total() {
    return byKind.values().stream().reduce(Counts.ZERO, Counts::plus);
  }

  /** All skip reasons together. */
  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@code counts} for one kind. */
  public Counts of(MessageKind kind) {
    return byKind.get(kind);
  }
}
