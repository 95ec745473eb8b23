package io.auditgate.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one run of {@code auditgate bench store} measured: per measured round, points per second
 * written by {@link io.auditgate.store.StoreWriter} (decode, COPY into staging, idempotent merge
 * with latest values, devices and rollups, commit) and by a raw {@code COPY} of the same points
 * into a plain table with the same columns and index, in the same PostgreSQL; and their ratio.
 *
 * @param replayRowsPerSecond the writer's rate when the whole batch is already stored (a redelivery
 *     after a consumer crash): every message is recognised as a duplicate
 */
public record StoreBenchResult(
    Instant startedAt,
    Duration elapsed,
    WalBenchResult.Machine machine,
    StoreBenchOptions options,
    String postgresVersion,
    List<Round> rounds,
    double replayRowsPerSecond) {
  /** The target: the store writes at least 80 % of raw COPY's rate. */
  public static final double TARGET_RATIO = 0.8;

  public StoreBenchResult {
    rounds = List.copyOf(rounds);
  }

  /** One measured round: rows (points) per second of each contender. */
  public record Round(double storeRowsPerSecond, double copyRowsPerSecond) {
    public double ratio() {
      return storeRowsPerSecond / copyRowsPerSecond;
    }
  }

  /** Median of the store's per-round rates. */
  public double storeRowsPerSecond() {
    return median(rounds.stream().mapToDouble(Round::storeRowsPerSecond).toArray());
  }

  public double copyRowsPerSecond() {
    return median(rounds.stream().mapToDouble(Round::copyRowsPerSecond).toArray());
  }

  /** Median of the per-round ratios: each round's pair ran back to back on the same machine. */
  public double ratio() {
    return median(rounds.stream().mapToDouble(Round::ratio).toArray());
  }

  public boolean allTargetsMet() {
    return ratio() >= TARGET_RATIO;
  }

  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "auditgate bench store");
    root.put("started_at", startedAt.toString());
    root.put("elapsed_seconds", round(elapsed.toMillis() / 1000.0, 1));
    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores());
    m.put("java_version", machine.javaVersion());
    m.put("os", machine.os() + " " + machine.osVersion() + " " + machine.arch());
    m.put("filesystem", machine.filesystem());
    m.put("load_average_at_start", round(machine.loadAverageAtStart(), 2));
    m.put("load_average_at_end", round(machine.loadAverageAtEnd(), 2));
    m.put("postgres", postgresVersion);
    ObjectNode s = root.putObject("settings");
    s.put("batch_messages", options.batchRecords());
    s.put("metrics_per_message", options.metricsPerMessage());
    s.put("batch_rows", options.batchRecords() * options.metricsPerMessage());
    s.put("batches_per_round", options.batchesPerRound());
    s.put("measured_rounds", rounds.size());
    s.put("warmup_rounds", 1);
    s.put("devices", options.devices());
    s.put(
        "store",
        "StoreWriter: decode envelopes, COPY into a temp staging table, one merge statement"
            + " (messages ON CONFLICT DO NOTHING, points into daily partitions, latest values,"
            + " devices, gateways, minute/hour rollups per device and gateway), commit with fsync");
    s.put(
        "copy",
        "raw COPY of the same points (time, device_id, gateway_id, metric, value, seq) into a"
            + " plain logged table with a BRIN index on time, one transaction per batch, fsync");
    ArrayNode rs = root.putArray("rounds");
    for (Round r : rounds) {
      ObjectNode n = rs.addObject();
      n.put("store_rows_per_second", Math.round(r.storeRowsPerSecond()));
      n.put("copy_rows_per_second", Math.round(r.copyRowsPerSecond()));
      n.put("ratio", round(r.ratio(), 3));
    }
    ObjectNode result = root.putObject("result");
    result.put("store_rows_per_second", Math.round(storeRowsPerSecond()));
    result.put(
        "store_messages_per_second",
        Math.round(storeRowsPerSecond() / options.metricsPerMessage()));
    result.put("copy_rows_per_second", Math.round(copyRowsPerSecond()));
    result.put("ratio", round(ratio(), 3));
    result.put("target_ratio", TARGET_RATIO);
    result.put("target_met", allTargetsMet());
    result.put("replay_rows_per_second", Math.round(replayRowsPerSecond));
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static double round(double value, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
