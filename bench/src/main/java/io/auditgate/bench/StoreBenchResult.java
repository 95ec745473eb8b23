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
 * What one run of {@code auditgate bench store} measured. Per measured round, points per second
 * (every rate here counts points, whichever rows a side writes) of three contenders on the same
 * PostgreSQL:
 *
 * <ul>
 *   <li>{@link io.auditgate.store.StoreWriter}: decode, the fast path or the merge, latest values,
 *       devices, gateways, rollups, commit;
 *   <li>raw binary {@code COPY} (the writer's format; the rows built before the clock starts) of
 *       the same rows into the same tables: each message's {@code messages} row and its points,
 *       into a database migrated with the store's own schema (its unique indexes, daily partitions
 *       and BRIN indexes), one transaction per batch. The ratio against it is the target
 *       ({@link #ratio}): what the writer costs beyond loading the rows;
 *   <li>raw {@code COPY} of the same rows into plain tables of the same columns and BRIN indexes
 *       but no unique index and no partitions ({@link #unindexedRatio}): what the idempotency index
 *       and the partitions cost on top.
 * </ul>
 *
 * @param fastBatches batches the writer wrote by its fast path during the measured and warm-up
 *     rounds (not the replay)
 * @param mergedBatches batches it wrote through staging and the merge in those rounds
 * @param replayRowsPerSecond the writer's rate when the whole batch is already stored (a redelivery
 *     after a consumer crash): every message is recognised as a duplicate, through the merge
 */
public record StoreBenchResult(
    Instant startedAt,
    Duration elapsed,
    WalBenchResult.Machine machine,
    StoreBenchOptions options,
    String postgresVersion,
    List<Round> rounds,
    long fastBatches,
    long mergedBatches,
    double replayRowsPerSecond) {
  /**
   * The target: the store writes at least 80 % of raw COPY's rate for the same rows into
   * the same tables.
   */
  public static final double TARGET_RATIO = 0.8;

  public StoreBenchResult {
    rounds = List.copyOf(rounds);
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("need at least one measured round");
    }
    if (fastBatches < 0 || mergedBatches < 0) {
      throw new IllegalArgumentException("batch counts must be >= 0");
    }
  }

  /**
   * One measured round: points per second of each contender.
   *
   * @param copySameTablesPerSecond raw COPY of the messages rows and the points into the store's
   *     own tables
   * @param copyUnindexedPerSecond raw COPY of the same rows into tables without unique indexes
   */
  public record Round(
      double storeRowsPerSecond, double copySameTablesPerSecond, double copyUnindexedPerSecond) {
    public Round {
      if (!(storeRowsPerSecond > 0 && copySameTablesPerSecond > 0 && copyUnindexedPerSecond > 0)) {
        throw new IllegalArgumentException("rates must be positive");
      }
    }

    /** Against raw COPY of the same rows into the same tables: the target ratio. */
    public double ratio() {
      return storeRowsPerSecond / copySameTablesPerSecond;
    }

    /** Against raw COPY of the same rows into tables without unique indexes. */
    public double unindexedRatio() {
      return storeRowsPerSecond / copyUnindexedPerSecond;
    }
  }

  /** Median of the store's per-round rates. */
  public double storeRowsPerSecond() {
    return median(rounds.stream().mapToDouble(Round::storeRowsPerSecond).toArray());
  }

  public double copySameTablesPerSecond() {
    return median(rounds.stream().mapToDouble(Round::copySameTablesPerSecond).toArray());
  }

  public double copyUnindexedPerSecond() {
    return median(rounds.stream().mapToDouble(Round::copyUnindexedPerSecond).toArray());
  }

  /**
   * Median of the per-round ratios against raw COPY of the same rows into the same tables: each
   * round's contenders ran back to back on the same machine.
   */
  public double ratio() {
    return median(rounds.stream().mapToDouble(Round::ratio).toArray());
  }

  /** Median of the per-round ratios against raw COPY into tables without unique indexes. */
  public double unindexedRatio() {
    return median(rounds.stream().mapToDouble(Round::unindexedRatio).toArray());
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
    s.put("unit", "every rate is points per second, the COPY baselines' included");
    s.put(
        "store",
        "StoreWriter: decode envelopes in parts; fast path when nothing in the batch is stored:"
            + " binary COPY into messages (streamed as the parts are decoded) and into points"
            + " (daily partitions), upserts of latest values, devices and gateways and a COPY of"
            + " the minute/hour rollup deltas per device and gateway, folded in Java; on a unique"
            + " violation, roll back and merge through a temp staging table (messages ON CONFLICT"
            + " DO NOTHING and the rest from exactly the new ones); commit with fsync; the writer's"
            + " rollup folds (once a second) and a last fold inside the clock");
    s.put(
        "copy_same_tables",
        "raw binary COPY (the writer's format) of the rows the store keeps for the same"
            + " messages, the messages rows and the points, into the same tables: a database"
            + " migrated with the store's schema (unique indexes on messages, daily partitions,"
            + " BRIN), one transaction per batch, fsync; rows built before timing");
    s.put(
        "copy_unindexed",
        "the same raw COPY into plain logged tables of the same columns with BRIN indexes only"
            + " (no unique index, no partitions): what idempotency's index costs on top");
    ArrayNode rs = root.putArray("rounds");
    for (Round r : rounds) {
      ObjectNode n = rs.addObject();
      n.put("store_rows_per_second", Math.round(r.storeRowsPerSecond()));
      n.put("copy_same_tables_rows_per_second", Math.round(r.copySameTablesPerSecond()));
      n.put("copy_unindexed_rows_per_second", Math.round(r.copyUnindexedPerSecond()));
      n.put("ratio", round(r.ratio(), 3));
      n.put("ratio_vs_unindexed", round(r.unindexedRatio(), 3));
    }
    ObjectNode result = root.putObject("result");
    result.put("store_rows_per_second", Math.round(storeRowsPerSecond()));
    result.put(
        "store_messages_per_second",
        Math.round(storeRowsPerSecond() / options.metricsPerMessage()));
    result.put("copy_same_tables_rows_per_second", Math.round(copySameTablesPerSecond()));
    result.put("copy_unindexed_rows_per_second", Math.round(copyUnindexedPerSecond()));
    result.put("ratio", round(ratio(), 3));
    result.put("ratio_vs_unindexed", round(unindexedRatio(), 3));
    result.put("target_ratio", TARGET_RATIO);
    result.put("target_met", allTargetsMet());
    result.put("store_fast_path_batches", fastBatches);
    result.put("store_merged_batches", mergedBatches);
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
