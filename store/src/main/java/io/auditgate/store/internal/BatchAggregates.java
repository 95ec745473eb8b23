package io.auditgate.store.internal;

import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.EnvelopeSchema;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a batch of new messages changes besides its own rows, computed in Java for the fast path:
 * the latest value per device and metric, the device and gateway rows, and the minute and hour
 * rollups per device and per gateway. The same folds the merge statement computes in SQL from the
 * new messages ({@link MergeSql}); the database then only upserts these few rows.
 *
 * <p>Built for a batch in which every message is new and no key occurs twice (the fast path's
 * precondition). Immutable.
 */
public record BatchAggregates(
    List<Latest> latest, List<DeviceRow> devices, List<GatewayRow> gateways, List<Rollup> rollups) {

  /**
   * The batch's latest point of one device's metric: latest by time, then seq (a missing one last).
   */
  public record Latest(
      String deviceId, String metric, Instant time, double value, Long seq, String gatewayId) {}

  /**
   * One device's messages folded as the merge folds them.
   *
   * @param lastTelemetryAt null when the batch holds only device events for it
   * @param lastGatewayId and {@code lastSeq}: of the message received last
   */
  public record DeviceRow(
      String deviceId,
      Instant firstSeenAt,
      Instant lastTelemetryAt,
      String lastGatewayId,
      Long lastSeq,
      Instant lastActivityAt) {}

  /** One gateway's messages: first and last arrival. */
  public record GatewayRow(String gatewayId, Instant firstSeenAt, Instant lastSeenAt) {}

  /** One rollup bucket's contribution of the batch. */
  public record Rollup(
      String scope,
      String scopeId,
      String resolution,
      Instant bucket,
      String metric,
      long count,
      double min,
      double max,
      double sum) {}

  public BatchAggregates {
    latest = List.copyOf(latest);
    devices = List.copyOf(devices);
    gateways = List.copyOf(gateways);
    rollups = List.copyOf(rollups);
  }

  /**
   * Folds {@code messages}; rollups only when {@code withRollups} (plain PostgreSQL: TimescaleDB
   * keeps them itself).
   */
  public static BatchAggregates of(List<DecodedBatch.Message> messages, boolean withRollups) {
    // Per device first: device and metric names are Strings with cached hashes, so a point costs
    // two small lookups rather than building and hashing a composite key.
    Map<String, DeviceFold> devices = new LinkedHashMap<>();
    Map<String, Instant[]> gateways = new LinkedHashMap<>();
    for (DecodedBatch.Message m : messages) {
      Telemetry t = m.envelope().telemetry();
      String gateway = m.record().gatewayId();
      Instant received = t.receivedAt();
      DeviceFold device = devices.computeIfAbsent(t.deviceId(), d -> new DeviceFold());
      device.add(m);
      Instant[] gw = gateways.computeIfAbsent(gateway, g -> new Instant[] {received, received});
      gw[0] = received.isBefore(gw[0]) ? received : gw[0];
      gw[1] = received.isAfter(gw[1]) ? received : gw[1];
      if (t.metrics().isEmpty()) {
        continue;
      }
      Map<String, Fold> minute =
          withRollups
              ? device.minutes.computeIfAbsent(
                  new GatewayMinute(gateway, m.time().truncatedTo(ChronoUnit.MINUTES)),
                  k -> new HashMap<>())
              : null;
      for (Map.Entry<String, Double> point : t.metrics().entrySet()) {
        device.latest.merge(
            point.getKey(), m, (held, offered) -> later(offered, held) ? offered : held);
        if (withRollups) {
          minute.computeIfAbsent(point.getKey(), k -> new Fold()).add(point.getValue());
        }
      }
    }
    List<Latest> latest = new ArrayList<>();
    List<DeviceRow> deviceRows = new ArrayList<>(devices.size());
    Map<MinuteKey, Fold> minutes = new HashMap<>();
    devices.forEach(
        (id, f) -> {
          deviceRows.add(f.row(id));
          f.latest.forEach(
              (metric, m) -> {
                Telemetry t = m.envelope().telemetry();
                latest.add(
                    new Latest(
                        id,
                        metric,
                        m.time(),
                        t.metrics().get(metric),
                        boxed(t.seq()),
                        m.record().gatewayId()));
              });
          f.minutes.forEach(
              (gm, byMetric) ->
                  byMetric.forEach(
                      (metric, fold) ->
                          minutes.put(
                              new MinuteKey(id, gm.gatewayId(), gm.minute(), metric), fold)));
        });
    List<GatewayRow> gatewayRows = new ArrayList<>(gateways.size());
    gateways.forEach((id, span) -> gatewayRows.add(new GatewayRow(id, span[0], span[1])));
    return new BatchAggregates(latest, deviceRows, gatewayRows, rollups(minutes));
  }

  /**
   * Device-minute folds first, then the device and gateway buckets per minute and hour from those:
   * the merge's order of folding, so min/max/count are equal and sums differ at most by the order
   * of floating-point additions.
   */
  private static List<Rollup> rollups(Map<MinuteKey, Fold> minutes) {
    Map<BucketKey, Fold> buckets = new HashMap<>();
    for (Map.Entry<MinuteKey, Fold> e : minutes.entrySet()) {
      MinuteKey k = e.getKey();
      Instant hour = k.minute().truncatedTo(ChronoUnit.HOURS);
      Fold f = e.getValue();
      fold(buckets, new BucketKey("device", k.deviceId(), "minute", k.minute(), k.metric()), f);
      fold(buckets, new BucketKey("device", k.deviceId(), "hour", hour, k.metric()), f);
      fold(buckets, new BucketKey("gateway", k.gatewayId(), "minute", k.minute(), k.metric()), f);
      fold(buckets, new BucketKey("gateway", k.gatewayId(), "hour", hour, k.metric()), f);
    }
    List<Rollup> out = new ArrayList<>(buckets.size());
    buckets.forEach(
        (k, f) ->
            out.add(
                new Rollup(
                    k.scope(),
                    k.scopeId(),
                    k.resolution(),
                    k.bucket(),
                    k.metric(),
                    f.count,
                    f.min,
                    f.max,
                    f.sum)));
    return out;
  }

  private static void fold(Map<BucketKey, Fold> buckets, BucketKey key, Fold f) {
    buckets.computeIfAbsent(key, k -> new Fold()).add(f);
  }

  /** Whether {@code a} is later than {@code b} by time, then seq, a missing seq counting lowest. */
  public static boolean later(DecodedBatch.Message a, DecodedBatch.Message b) {
    int byTime = a.time().compareTo(b.time());
    if (byTime != 0) {
      return byTime > 0;
    }
    OptionalLong sa = a.envelope().telemetry().seq();
    OptionalLong sb = b.envelope().telemetry().seq();
    if (sa.isPresent() != sb.isPresent()) {
      return sa.isPresent();
    }
    return sa.isPresent() && sa.getAsLong() > sb.getAsLong();
  }

  private static Long boxed(OptionalLong seq) {
    return seq.isPresent() ? seq.getAsLong() : null;
  }

  private record GatewayMinute(String gatewayId, Instant minute) {}

  private record MinuteKey(String deviceId, String gatewayId, Instant minute, String metric) {}

  private record BucketKey(
      String scope, String scopeId, String resolution, Instant bucket, String metric) {}

  private static final class Fold {
    long count;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;

    void add(double v) {
      count++;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }

    void add(Fold f) {
      count += f.count;
      min = Math.min(min, f.min);
      max = Math.max(max, f.max);
      sum += f.sum;
    }
  }

  /**
   * As the merge: min arrival, last telemetry arrival, gateway and seq of the last arrival; and the
   * device's latest message per metric and its points per gateway and minute.
   */
  private static final class DeviceFold {
    final Map<String, DecodedBatch.Message> latest = new HashMap<>();
    final Map<GatewayMinute, Map<String, Fold>> minutes = new HashMap<>();
    Instant first;
    Instant lastTelemetry;
    DecodedBatch.Message last;

    void add(DecodedBatch.Message m) {
      Instant received = m.envelope().telemetry().receivedAt();
      if (first == null || received.isBefore(first)) {
        first = received;
      }
      if (m.envelope().schema() == EnvelopeSchema.TELEMETRY_V1
          && (lastTelemetry == null || received.isAfter(lastTelemetry))) {
        lastTelemetry = received;
      }
      if (last == null || received.isAfter(last.envelope().telemetry().receivedAt())) {
        last = m;
      }
    }

    DeviceRow row(String deviceId) {
      return new DeviceRow(
          deviceId,
          first,
          lastTelemetry,
          last.record().gatewayId(),
          boxed(last.envelope().telemetry().seq()),
          last.envelope().telemetry().receivedAt());
    }
  }
}
