package io.auditgate.app.cli;

import io.auditgate.core.sink.Delivery;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.pipeline.KafkaSink;
import io.auditgate.pipeline.KafkaSinkSettings;
import io.auditgate.wal.WalInspector;
import io.auditgate.wal.WalInspector.CursorInfo;
import io.auditgate.wal.WalInspector.Inspection;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate wal replay}: sends a closed log's records to Kafka again through the {@link
 * KafkaSink}, with the same topics, keys, values and headers the gateway would have used. The log
 * is only read (no cursor moves, no dead letters are written), so a replay can be repeated; the
 * store deduplicates what it already holds.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Send a closed write-ahead log's records to Kafka (topics, keys and headers as the gateway",
      "sends them). The log is only read. Exit 0 when every record was delivered, 1 when some were",
      "rejected or Kafka stayed unreachable (the summary says where to resume with --from)."
    })
final class WalReplay implements Callable<Integer> {
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "DIR", description = "The write-ahead log directory (not in use).")
  Path dir;

  @Option(
      names = "--bootstrap-servers",
      required = true,
      paramLabel = "HOST:PORT[,…]",
      description = "Kafka to send to.")
  String bootstrapServers;

  static final class Start {
    @Option(
        names = "--from",
        paramLabel = "OFFSET",
        description = "First offset to send (default: the oldest held).")
    Long from;

    @Option(
        names = "--cursor",
        paramLabel = "NAME",
        description = "Send only what this cursor has not acknowledged (for example kafka).")
    String cursor;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Start start = new Start();

  @Option(
      names = "--kafka-property",
      paramLabel = "KEY=VALUE",
      description = "A further Kafka client property (TLS, SASL); repeatable.")
  Map<String, String> kafkaProperties = Map.of();

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Records per batch (default: ${DEFAULT-VALUE}).")
  int batchRecords = 500;

  @Option(
      names = "--retries",
      paramLabel = "N",
      description =
          "Attempts per batch while Kafka is unreachable, 1 s apart (default: ${DEFAULT-VALUE}).")
  int retries = 5;

  private long delivered;
  private long rejected;
  private long retried;
  private long lastOffset = -1;
  private boolean stopped;

  @Override
  public Integer call() {
    if (batchRecords < 1 || retries < 0) {
      throw new IllegalArgumentException("--batch must be >= 1 and --retries >= 0");
    }
    PrintWriter out = spec.commandLine().getOut();
    WalInspector inspector = new WalInspector(dir);
    Inspection in = inspector.inspect();
    if (!in.cleanShutdown()) {
      out.printf(
          "warning: %s was not closed cleanly (crashed, or still in use); replaying what is"
              + " readable%n",
          dir);
    }
    long from = startOffset(in);
    out.printf(
        "replaying %s from offset %d (%d records) to %s%n",
        dir, from, Math.max(0, in.endOffset() - from), bootstrapServers);
    out.flush();

    KafkaSinkSettings settings =
        KafkaSinkSettings.defaults(bootstrapServers).withExtraProperties(kafkaProperties);
    long started = System.nanoTime();
    long[] lastProgress = {started};
    try (KafkaSink sink = new KafkaSink(settings)) {
      List<WalRecord> batch = new ArrayList<>(batchRecords);
      inspector.dump(
          from,
          record -> {
            batch.add(record);
            if (batch.size() < batchRecords) {
              return true;
            }
            boolean more = send(sink, batch, out);
            batch.clear();
            if (System.nanoTime() - lastProgress[0] > PROGRESS_EVERY.toNanos()) {
              lastProgress[0] = System.nanoTime();
              out.printf("  %d delivered, up to offset %d%n", delivered, lastOffset);
              out.flush();
            }
            return more;
          });
      if (!stopped && !batch.isEmpty()) {
        send(sink, batch, out);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    out.printf(
        "%s: %d delivered, %d rejected, %d retries in %.1f s%n",
        stopped ? "STOPPED" : "done", delivered, rejected, retried, seconds);
    return stopped || rejected > 0 ? 1 : 0;
  }

  private long startOffset(Inspection in) {
    if (start.cursor != null) {
      return in.cursors().stream()
          .filter(c -> c.name().equals(start.cursor))
          .map(CursorInfo::ackedOffset)
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "no cursor named "
                          + start.cursor
                          + " in "
                          + dir
                          + "; cursors: "
                          + in.cursors().stream().map(CursorInfo::name).toList()));
    }
    if (start.from != null) {
      if (start.from < 0) {
        throw new IllegalArgumentException("--from must be >= 0, got " + start.from);
      }
      return Math.max(start.from, in.startOffset());
    }
    return in.startOffset();
  }

  /** Sends one batch, retrying from where Kafka stopped; false when giving up. */
  private boolean send(TelemetrySink sink, List<WalRecord> batch, PrintWriter out) {
    List<WalRecord> remaining = List.copyOf(batch);
    for (int attempt = 0; ; attempt++) {
      Delivery outcome = sink.deliver(remaining);
      long doneBelow =
          outcome instanceof Delivery.Interrupted cut ? cut.resumeOffset() : Long.MAX_VALUE;
      List<Delivery.Rejection> refused =
          outcome instanceof Delivery.Interrupted cut
              ? cut.rejected()
              : ((Delivery.Delivered) outcome).rejected();
      for (Delivery.Rejection r : refused) {
        out.printf("  rejected offset %d: %s: %s%n", r.offset(), r.reasonCode(), r.detail());
      }
      rejected += refused.size();
      for (WalRecord r : remaining) {
        if (r.offset() < doneBelow) {
          lastOffset = r.offset();
        }
      }
      delivered += remaining.stream().filter(r -> r.offset() < doneBelow).count() - refused.size();
      if (!(outcome instanceof Delivery.Interrupted cut)) {
        return true;
      }
      remaining = remaining.stream().filter(r -> r.offset() >= cut.resumeOffset()).toList();
      if (attempt >= retries) {
        out.printf(
            "  kafka unreachable (%s); stopped before offset %d: resume with --from %d%n",
            cut.reason(), cut.resumeOffset(), cut.resumeOffset());
        stopped = true;
        return false;
      }
      retried++;
      out.printf(
          "  interrupted before offset %d (%s); retrying%n", cut.resumeOffset(), cut.reason());
      out.flush();
      try {
        TimeUnit.SECONDS.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped = true;
        return false;
      }
    }
  }
}
