package io.auditgate.ingest.mqtt;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.SegmentedWal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A hand-written {@link TelemetryIngest} over a real {@link SegmentedWal}: it appends the raw body
 * and answers {@link IngestResult.Stored} only when the log says the record is durable, so tests of
 * "acknowledged only once durable" test the real thing. Bodies starting with {@code invalid} are
 * rejected (and dead-lettered, durably); {@link #busy} makes it answer busy; {@link #hold} keeps
 * requests unanswered, without appending them, until {@link #accept}.
 *
 * <p>The listener's own connected and disconnected events ({@link ConnectivityEvents}) are kept
 * apart, in {@link #connectivityEvents}, answered stored without being appended, so that the tests
 * of what devices publish see only that; {@code ConnectivityEventsTest} runs them through the real
 * pipeline and log.
 */
final class WalBackedIngest implements TelemetryIngest, AutoCloseable {
  static final byte TYPE = 1;

  private enum Mode {
    ACCEPT,
    BUSY,
    HOLD
  }

  private final SegmentedWal wal;
  private final ExecutorService deadLetters = Executors.newSingleThreadExecutor();
  private final List<IngestRequest> requests = new CopyOnWriteArrayList<>();
  private final List<IngestRequest> connectivity = new CopyOnWriteArrayList<>();
  private final List<Runnable> held = new ArrayList<>();
  private final Map<String, Long> durableOffsets = new ConcurrentHashMap<>();
  private volatile Mode mode = Mode.ACCEPT;
  private volatile Duration retryAfter = Duration.ofMillis(50);

  WalBackedIngest(Path dir) {
    WalConfig config =
        new WalConfig(
            DataSize.ofMebibytes(1),
            DataSize.ofKibibytes(128),
            null,
            null,
            DataSize.ofMebibytes(64),
            null,
            null);
    this.wal = SegmentedWal.open(dir, config, Clock.systemUTC(), WalListener.NONE);
  }

  @Override
  public CompletionStage<IngestResult> ingest(IngestRequest request) {
    String text = text(request);
    if (text.startsWith("{\"event\":\"connected\"")
        || text.startsWith("{\"event\":\"disconnected\"")) {
      connectivity.add(request);
      return CompletableFuture.completedFuture(new IngestResult.Stored(-1, telemetry(request)));
    }
    requests.add(request);
    if (text.startsWith("invalid")) {
      return CompletableFuture.supplyAsync(() -> reject(request), deadLetters);
    }
    synchronized (held) {
      if (mode == Mode.HOLD) {
        CompletableFuture<IngestResult> answer = new CompletableFuture<>();
        held.add(() -> append(request).whenComplete((r, e) -> answer.complete(r)));
        return answer;
      }
    }
    if (mode == Mode.BUSY) {
      IngestResult busy = new IngestResult.Busy("the log is full", retryAfter);
      return CompletableFuture.completedFuture(busy);
    }
    return append(request);
  }

  /** Answers every request busy from now on, asking for a retry after 50ms. */
  void busy() {
    busy(Duration.ofMillis(50));
  }

  /** Answers every request busy from now on, asking for a retry after {@code retryAfter}. */
  void busy(Duration retryAfter) {
    this.retryAfter = retryAfter;
    mode = Mode.BUSY;
  }

  /** Holds every request from now on: not appended, not answered. */
  void hold() {
    synchronized (held) {
      mode = Mode.HOLD;
    }
  }

  /** Accepts again, appending whatever was held first. */
  void accept() {
    List<Runnable> release;
    synchronized (held) {
      mode = Mode.ACCEPT;
      release = List.copyOf(held);
      held.clear();
    }
    release.forEach(Runnable::run);
  }

  List<IngestRequest> requests() {
    return List.copyOf(requests);
  }

  /** The listener's connected and disconnected events, in the order it sent them. */
  List<String> connectivityEvents() {
    return connectivity.stream().map(WalBackedIngest::text).toList();
  }

  List<String> requestBodies() {
    return requests.stream().map(WalBackedIngest::text).toList();
  }

  /** The offset at which {@code body} became durable, if it did. */
  Optional<Long> durableOffset(String body) {
    return Optional.ofNullable(durableOffsets.get(body));
  }

  long durableEndOffset() {
    return wal.durableEndOffset();
  }

  /** Every body in the log, oldest first, read back through a cursor of its own. */
  List<String> storedBodies() {
    WalCursor cursor = wal.cursor("test-" + System.nanoTime());
    List<String> bodies = new ArrayList<>();
    for (List<WalRecord> got; !(got = cursor.poll(100, Long.MAX_VALUE)).isEmpty(); ) {
      for (WalRecord record : got) {
        bodies.add(new String(record.body(), StandardCharsets.UTF_8));
      }
    }
    return bodies;
  }

  List<String> deadLetterBodies() {
    return wal.deadLetters().stream()
        .map(letter -> new String(letter.body(), StandardCharsets.UTF_8))
        .toList();
  }

  @Override
  public void close() {
    deadLetters.shutdownNow();
    wal.close();
  }

  private CompletableFuture<IngestResult> append(IngestRequest request) {
    AppendOutcome outcome = wal.append(TYPE, request.body().clone());
    if (outcome instanceof AppendOutcome.Refused refused) {
      return CompletableFuture.completedFuture(
          new IngestResult.Busy(refused.message(), Duration.ofMillis(50)));
    }
    String text = text(request);
    return ((AppendOutcome.Accepted) outcome)
        .durable()
        .thenApply(
            offset -> {
              durableOffsets.put(text, offset);
              return new IngestResult.Stored(offset, telemetry(request));
            });
  }

  private IngestResult reject(IngestRequest request) {
    long sequence =
        wal.deadLetter("mqtt", "invalid_json", "not JSON", request.body().clone()).sequence();
    return new IngestResult.Rejected(IngestResult.Reason.INVALID_JSON, "not JSON", sequence);
  }

  private static Telemetry telemetry(IngestRequest request) {
    return new Telemetry(
        request.identity().deviceId(),
        "gw-test",
        OptionalLong.empty(),
        Optional.empty(),
        request.receivedAt(),
        Map.of(),
        Map.of(),
        Optional.of(text(request)),
        request.traceId().orElse("0".repeat(32)),
        request.sourceTopic(),
        Telemetry.Format.SEED_JSON);
  }

  static String text(IngestRequest request) {
    return new String(request.body(), StandardCharsets.UTF_8);
  }
}
