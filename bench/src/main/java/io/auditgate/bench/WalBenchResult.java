package io.auditgate.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one run of {@code auditgate bench wal} measured: the machine, the settings, one {@link
 * Cell} per record size and producer count with every contender's {@link Figures}, and the issue's
 * {@link Target}s evaluated from those figures.
 *
 * @param startedAt when the run started
 * @param elapsed how long the whole run took
 * @param machine where it ran
 * @param options the settings it ran with
 * @param contenders each contender's JSON name and what it does, in report order
 * @param sqliteVersion the SQLite library the competitors ran on
 * @param cells one per record size × producer count, in run order
 * @param targets the targets, evaluated at the largest producer count of the run
 */
public record WalBenchResult(
    Instant startedAt,
    Duration elapsed,
    Machine machine,
    WalBenchOptions options,
    Map<String, String> contenders,
    String sqliteVersion,
    List<Cell> cells,
    List<Target> targets) {

  public static final String AUDITGATE = AuditgateWalContender.NAME;
  public static final String SQLITE_PER_MESSAGE = SqlitePerMessageContender.NAME;
  public static final String SQLITE_GROUP_COMMIT = SqliteGroupCommitContender.NAME;
  public static final String RAW_FORCE = RawForceContender.NAME;

  public WalBenchResult {
    contenders = Map.copyOf(contenders);
    cells = List.copyOf(cells);
    targets = List.copyOf(targets);
  }

  /** Whether every target was met (false when there are none). */
  public boolean allTargetsMet() {
    return !targets.isEmpty() && targets.stream().allMatch(Target::met);
  }

  /** The cell for a record size and producer count, if the run had it. */
  public Optional<Cell> cell(int recordBytes, int producers) {
    return cells.stream()
        .filter(c -> c.recordBytes() == recordBytes && c.producers() == producers)
        .findFirst();
  }

  /**
   * Where a benchmark ran.
   *
   * @param filesystem type of the filesystem holding the benchmark's files, for example {@code
   *     ext4}
   * @param fileStore the name the JDK gives that filesystem (usually its device)
   * @param loadAverageAtStart the system's one-minute load average when the run started (negative
   *     where unknown): other work on the machine shows here, and it moves the figures
   * @param loadAverageAtEnd the same when the run ended
   */
  public record Machine(
      int cores,
      long maxHeapBytes,
      String javaVersion,
      String javaVm,
      String os,
      String osVersion,
      String arch,
      String baseDir,
      String filesystem,
      String fileStore,
      double loadAverageAtStart,
      double loadAverageAtEnd) {}

  /**
   * One contender's figures in one cell, over the measurement window (warm-up excluded).
   *
   * @param contender the contender's JSON name
   * @param appends appends acknowledged (durable) within the window
   * @param seconds length of the window
   * @param appendsPerSecond {@code appends / seconds}
   * @param p50Micros median append latency (call to durable acknowledgement), exact from samples
   * @param p99Micros 99th percentile append latency, exact from samples (nearest rank)
   * @param meanMicros mean append latency
   * @param maxMicros largest append latency
   * @param cpuMicrosPerAppend CPU time of the whole process (every thread, user and system) in the
   *     window divided by the appends: what durability costs besides waiting for the disk
   * @param commitsPerSecond commits (each one force/sync) per second in the window
   * @param meanBatchRecords messages per commit in the window
   * @param totalRecords messages made durable from open to close, warm-up included
   * @param diskBytes bytes in the contender's files after close
   * @param errors producers that stopped on a failed or refused append
   * @param firstError the first such failure, empty if none
   */
  public record Figures(
      String contender,
      long appends,
      double seconds,
      double appendsPerSecond,
      double p50Micros,
      double p99Micros,
      double meanMicros,
      double maxMicros,
      double cpuMicrosPerAppend,
      double commitsPerSecond,
      double meanBatchRecords,
      long totalRecords,
      long diskBytes,
      long errors,
      String firstError) {}

  /** One record size × producer count, with every contender's figures in report order. */
  public record Cell(int recordBytes, int producers, List<Figures> figures) {
    public Cell {
      figures = List.copyOf(figures);
    }

    public Figures figures(String contender) {
      return figures.stream()
          .filter(f -> f.contender().equals(contender))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no contender " + contender));
    }

    /** auditgate's throughput divided by {@code competitor}'s (NaN if the latter is 0). */
    public double ratio(String competitor) {
      double theirs = figures(competitor).appendsPerSecond();
      return theirs > 0 ? figures(AUDITGATE).appendsPerSecond() / theirs : Double.NaN;
    }

    /** A one-line human summary, for progress output. */
    public String summary() {
      StringBuilder line =
          new StringBuilder(String.format("%5d B x %3d producers:", recordBytes, producers));
      for (Figures f : figures) {
        line.append(
            String.format(
                "  %s %,.0f/s p99 %.2f ms batch %.1f%s",
                f.contender(),
                f.appendsPerSecond(),
                f.p99Micros() / 1000,
                f.meanBatchRecords(),
                f.errors() > 0 ? " ERRORS " + f.errors() : ""));
      }
      line.append(
          String.format(
              "  | auditgate/sqlite_pm %.1fx, /sqlite_gc %.2fx, /raw %.0f%%",
              ratio(SQLITE_PER_MESSAGE), ratio(SQLITE_GROUP_COMMIT), 100 * ratio(RAW_FORCE)));
      return line.toString();
    }
  }

  /**
   * One of the targets in one cell.
   *
   * @param name what is compared, for example {@code throughput_vs_sqlite_per_message}
   * @param comparison {@code >=} or {@code <}: how {@code actual} must relate to {@code target}
   * @param unit {@code ratio} or {@code ms}
   */
  public record Target(
      String name,
      int recordBytes,
      int producers,
      String comparison,
      double target,
      double actual,
      String unit,
      boolean met) {

    static Target atLeast(String name, Cell cell, double target, double actual, String unit) {
      return new Target(
          name, cell.recordBytes(), cell.producers(), ">=", target, actual, unit, actual >= target);
    }

    static Target below(String name, Cell cell, double target, double actual, String unit) {
      return new Target(
          name, cell.recordBytes(), cell.producers(), "<", target, actual, unit, actual < target);
    }
  }

  /** The four targets, checked in every cell with the largest producer count. */
  static List<Target> evaluateTargets(List<Cell> cells) {
    int most = cells.stream().mapToInt(Cell::producers).max().orElse(0);
    List<Target> targets = new ArrayList<>();
    for (Cell c : cells) {
      if (c.producers() == most) {
        targets.add(ratioTarget(c, SQLITE_PER_MESSAGE, 20));
        targets.add(ratioTarget(c, SQLITE_GROUP_COMMIT, 2));
        targets.add(ratioTarget(c, RAW_FORCE, 0.5));
        double p99Millis = c.figures(AUDITGATE).p99Micros() / 1000;
        targets.add(Target.below("auditgate_p99_latency", c, 20, p99Millis, "ms"));
      }
    }
    return targets;
  }

  private static Target ratioTarget(Cell c, String competitor, double atLeast) {
    return Target.atLeast("throughput_vs_" + competitor, c, atLeast, c.ratio(competitor), "ratio");
  }

  /** The whole result as one pretty-printed JSON object. */
  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "auditgate bench wal");
    root.put("started_at", startedAt.toString());
    root.put("elapsed_seconds", round(elapsed.toMillis() / 1000.0, 1));

    ObjectNode m = root.putObject("machine");
    m.put("cores", machine.cores());
    m.put("max_heap_mib", machine.maxHeapBytes() / (1024 * 1024));
    m.put("java_version", machine.javaVersion());
    m.put("java_vm", machine.javaVm());
    m.put("os", machine.os());
    m.put("os_version", machine.osVersion());
    m.put("arch", machine.arch());
    m.put("base_dir", machine.baseDir());
    m.put("filesystem", machine.filesystem());
    m.put("file_store", machine.fileStore());
    m.put("load_average_at_start", round(machine.loadAverageAtStart(), 2));
    m.put("load_average_at_end", round(machine.loadAverageAtEnd(), 2));

    ObjectNode s = root.putObject("settings");
    ArrayNode sizes = s.putArray("record_sizes_bytes");
    options.recordSizes().forEach(sizes::add);
    ArrayNode counts = s.putArray("producer_counts");
    options.producerCounts().forEach(counts::add);
    s.put("cell_duration_ms", options.cellDuration().toMillis());
    int rounds = WalBenchmark.rounds(options.cellDuration());
    s.put("warmup_ms", options.warmup().toMillis());
    s.put("rounds_per_cell", rounds);
    s.put("round_ms", options.cellDuration().dividedBy(rounds).toMillis());
    s.put(
        "later_round_warmup_ms",
        Math.min(options.warmup().toMillis(), WalBenchmark.LATER_WARMUP.toMillis()));
    s.put("load", "closed loop: each producer waits for durability before its next append");
    s.put("frame_header_bytes", RawForceContender.HEADER_BYTES);
    s.put("sqlite_version", sqliteVersion);
    s.put("sqlite_settings", "journal_mode=WAL, synchronous=FULL, one connection, prepared INSERT");
    s.put(
        "order",
        "each cell is measured in rounds; in each round every contender runs back to back on a"
            + " fresh directory, the starting contender rotating per round and per cell; a"
            + " contender's rounds are pooled (appends / total window time, latencies together)");
    ObjectNode described = s.putObject("contenders");
    for (ContenderKind kind : ContenderKind.values()) {
      described.put(kind.jsonName(), contenders.getOrDefault(kind.jsonName(), kind.description()));
    }

    ArrayNode cellsNode = root.putArray("cells");
    for (Cell cell : cells) {
      ObjectNode c = cellsNode.addObject();
      c.put("record_bytes", cell.recordBytes());
      c.put("producers", cell.producers());
      ObjectNode byContender = c.putObject("contenders");
      for (Figures f : cell.figures()) {
        ObjectNode n = byContender.putObject(f.contender());
        n.put("appends_per_second", round(f.appendsPerSecond(), 1));
        n.put("p50_us", round(f.p50Micros(), 1));
        n.put("p99_us", round(f.p99Micros(), 1));
        n.put("mean_us", round(f.meanMicros(), 1));
        n.put("max_us", round(f.maxMicros(), 1));
        n.put("cpu_us_per_append", round(f.cpuMicrosPerAppend(), 2));
        n.put("commits_per_second", round(f.commitsPerSecond(), 1));
        n.put("mean_batch_records", round(f.meanBatchRecords(), 2));
        n.put("appends", f.appends());
        n.put("seconds", round(f.seconds(), 3));
        n.put("total_records", f.totalRecords());
        n.put("disk_bytes", f.diskBytes());
        n.put("errors", f.errors());
        if (!f.firstError().isEmpty()) {
          n.put("first_error", f.firstError());
        }
      }
      ObjectNode ratios = c.putObject("ratios");
      ratios.put("auditgate_vs_" + SQLITE_PER_MESSAGE, round(cell.ratio(SQLITE_PER_MESSAGE), 3));
      ratios.put("auditgate_vs_" + SQLITE_GROUP_COMMIT, round(cell.ratio(SQLITE_GROUP_COMMIT), 3));
      ratios.put("auditgate_vs_" + RAW_FORCE, round(cell.ratio(RAW_FORCE), 3));
    }

    ObjectNode t = root.putObject("targets");
    t.put("all_met", allTargetsMet());
    ArrayNode checks = t.putArray("checks");
    for (Target target : targets) {
      ObjectNode n = checks.addObject();
      n.put("name", target.name());
      n.put("record_bytes", target.recordBytes());
      n.put("producers", target.producers());
      n.put("comparison", target.comparison());
      n.put("target", target.target());
      n.put("actual", round(target.actual(), 3));
      n.put("unit", target.unit());
      n.put("met", target.met());
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write benchmark JSON", e);
    }
  }

  /** Rounded for reading; null (JSON null) when not a finite number. */
  private static Double round(double value, int digits) {
    if (!Double.isFinite(value)) {
      return null;
    }
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
