package io.auditgate.app.cli;

import io.auditgate.app.config.Durations;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.SegmentedWal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate demo}: what the gateway can show today. The full field demo (MQTT devices, Kafka
 * outage, PostgreSQL history, dashboard) arrives with the ingest and history issues; until then
 * this runs the part that exists, the write-ahead log, for real, and says so.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the gateway's durable core on embedded defaults with simulated B-L475E-IOT01A boards.",
      "Today: boards append telemetry to a real write-ahead log (group commit, fsync), a sink",
      "reads it through a cursor, the log is closed and reopened, and every acknowledged message",
      "is reconciled. Not yet: MQTT/HTTPS ingest, Kafka, PostgreSQL and the dashboard."
    })
public final class DemoCommand implements Callable<Integer> {
  private static final Pattern DEVICE =
      Pattern.compile("\"device_id\":\"([^\"]+)\",\"seq\":(\\d+)");

  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "Simulated boards (default: ${DEFAULT-VALUE}).")
  int devices = 3;

  @Option(
      names = "--duration",
      description = "How long the boards publish, e.g. 5s (default: ${DEFAULT-VALUE}).")
  String duration = "5s";

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Keep the log here (default: a temporary directory, deleted afterwards).")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (devices < 1 || devices > 10_000) {
      throw new IllegalArgumentException("--devices must be 1..10000, got " + devices);
    }
    Duration runFor = Durations.parse(duration);
    PrintWriter out = spec.commandLine().getOut();
    out.println("auditgate demo — what runs today: the durable write-ahead log.");
    out.println(
        "  not yet: MQTT/HTTPS ingest (issue 3), Kafka + PostgreSQL history (issue 4), dashboard (issue 5)");
    Path dir =
        dataDir != null ? dataDir.resolve("wal") : Files.createTempDirectory("auditgate-demo-");
    out.printf("  log directory: %s%n", dir);
    out.flush();

    Map<String, AtomicLong> sent = new TreeMap<>();
    Map<String, AtomicLong> acknowledged = new ConcurrentHashMap<>();
    Delivered delivered = new Delivered();
    try (SegmentedWal wal =
        SegmentedWal.open(dir, WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE)) {
      long startOffset = wal.durableEndOffset();
      WalCursor sink = wal.cursor("demo-sink");
      List<Thread> boards = new ArrayList<>();
      long deadline = System.nanoTime() + runFor.toNanos();
      for (int d = 1; d <= devices; d++) {
        String id = String.format(Locale.ROOT, "b-l475e-%03d", d);
        sent.put(id, new AtomicLong());
        acknowledged.put(id, new AtomicLong());
        boards.add(
            new Thread(() -> publish(wal, id, deadline, sent.get(id), acknowledged.get(id)), id));
      }
      boards.forEach(Thread::start);
      while (boards.stream().anyMatch(Thread::isAlive)) {
        wal.awaitDurable(sink.readOffset(), Duration.ofMillis(200));
        // The sink acknowledges only part of what it reads, as a sink does before an outage.
        drain(sink, delivered, 2);
        out.printf(
            "  %,d messages durable, %,d delivered, %,d awaiting the sink, %,d forces so far%n",
            wal.durableEndOffset() - startOffset,
            delivered.total(),
            sink.backlogRecords(),
            wal.metrics().batches());
        out.flush();
        Thread.sleep(1000);
      }
      var m = wal.metrics();
      out.printf(
          "  group commit: %,d messages in %,d forces; force p99 <= %d us%n",
          m.appendedRecords(), m.batches(), m.forceMicros().quantileUpperBound(0.99));
      out.printf(
          "  stopping with %,d messages not yet acknowledged by the sink%n", sink.backlogRecords());
    }

    out.println(
        "gateway stopped; restarting it: the sink resumes at its last acknowledged position...");
    try (SegmentedWal wal =
        SegmentedWal.open(dir, WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE)) {
      out.printf(
          "  recovery: %s shutdown, %d bytes cut, %,d records held%n",
          wal.recoveryReport().cleanShutdown() ? "clean" : "unclean",
          wal.recoveryReport().bytesTruncated(),
          wal.recoveryReport().records());
      WalCursor sink = wal.cursor("demo-sink");
      long before = delivered.total();
      drain(sink, delivered, 1);
      out.printf(
          "  re-delivered %,d messages; backlog now %d%n",
          delivered.total() - before, sink.backlogRecords());
    }
    out.println();
    out.printf(
        "%-14s %10s %14s %10s %6s %11s%n",
        "device", "sent", "acknowledged", "delivered", "lost", "duplicates");
    long lostTotal = 0;
    for (String device : sent.keySet()) {
      long ack = acknowledged.get(device).get();
      long unique = delivered.unique(device);
      long lost = Math.max(0, ack - unique);
      lostTotal += lost;
      out.printf(
          "%-14s %10d %14d %10d %6d %11d%n",
          device, sent.get(device).get(), ack, unique, lost, delivered.duplicates(device));
    }
    out.println();
    out.println(
        lostTotal == 0
            ? "every acknowledged message reached the sink; duplicates are re-deliveries of unacknowledged ones."
            : "LOST " + lostTotal + " acknowledged messages");
    if (dataDir == null) {
      deleteTree(dir);
    } else {
      out.printf("inspect it with: ./auditgate wal inspect %s%n", dir);
    }
    return lostTotal == 0 ? 0 : 1;
  }

  /** What the sink received, per device: the distinct sequence numbers and how many came twice. */
  private static final class Delivered {
    private final Map<String, java.util.Set<Long>> seqs = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> duplicates = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();

    void add(WalRecord record) {
      Matcher m = DEVICE.matcher(new String(record.body(), StandardCharsets.UTF_8));
      if (!m.find()) {
        return;
      }
      total.incrementAndGet();
      if (!seqs.computeIfAbsent(m.group(1), k -> ConcurrentHashMap.newKeySet())
          .add(Long.parseLong(m.group(2)))) {
        duplicates.computeIfAbsent(m.group(1), k -> new AtomicLong()).incrementAndGet();
      }
    }

    long total() {
      return total.get();
    }

    long unique(String device) {
      return seqs.getOrDefault(device, java.util.Set.of()).size();
    }

    long duplicates(String device) {
      return duplicates.getOrDefault(device, new AtomicLong()).get();
    }
  }

  /** One board: publishes a reading, waits until it is durable (its acknowledgement), repeats. */
  private static void publish(
      SegmentedWal wal, String id, long deadline, AtomicLong sent, AtomicLong acked) {
    long seq = 0;
    java.util.Random random = new java.util.Random(id.hashCode());
    while (System.nanoTime() < deadline) {
      String json =
          String.format(
              Locale.ROOT,
              "{\"device_id\":\"%s\",\"seq\":%d,\"metrics\":{\"temperature_c\":%.2f,\"humidity_pct\":%.1f,\"pressure_hpa\":%.2f}}",
              id,
              seq,
              21 + random.nextGaussian(),
              45 + 5 * random.nextGaussian(),
              1013 + random.nextGaussian());
      sent.incrementAndGet();
      if (wal.append(RecordTypes.TELEMETRY, json.getBytes(StandardCharsets.UTF_8))
          instanceof AppendOutcome.Accepted a) {
        a.durable().join();
        acked.incrementAndGet();
      }
      seq++;
    }
  }

  /**
   * Reads everything durable into {@code delivered}; acknowledges every {@code ackEvery}-th batch,
   * so that some delivered records stay unacknowledged and come again after the restart.
   */
  private static void drain(WalCursor sink, Delivered delivered, int ackEvery) {
    int batches = 0;
    for (List<WalRecord> batch; !(batch = sink.poll(1024, Long.MAX_VALUE)).isEmpty(); ) {
      batch.forEach(delivered::add);
      if (++batches % ackEvery == 0) {
        sink.ack(sink.readOffset());
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
