package io.auditgate.ingest.bridge;

import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the real ingest pipeline that keeps its one promise for real: {@code Stored} only
 * once the raw body is durable in a real write-ahead log. Bodies that do not look like JSON objects
 * are dead-lettered ({@code Rejected}); while {@link #busy} is set every message is {@code Busy}.
 */
final class WalIngest implements TelemetryIngest, AutoCloseable {
  private final WriteAheadLog wal;
  private final List<IngestRequest> requests = new CopyOnWriteArrayList<>();
  private final ExecutorService deadLetters = Executors.newSingleThreadExecutor();
  private volatile boolean busy;

  WalIngest(WriteAheadLog wal) {
    this.wal = wal;
  }

  void busy(boolean busy) {
    this.busy = busy;
  }

  /** Every request seen, busy or not. */
  List<IngestRequest> requests() {
    return requests;
  }

  @Override
  public CompletionStage<IngestResult> ingest(IngestRequest request) {
    requests.add(request);
    if (busy) {
      return CompletableFuture.completedFuture(
          new IngestResult.Busy("the test says the log is full", Duration.ofMillis(200)));
    }
    String text = new String(request.body(), StandardCharsets.UTF_8).strip();
    String deviceId = request.identity().deviceId();
    if (!text.startsWith("{")
        || !text.endsWith("}")
        || !Telemetry.DEVICE_ID.matcher(deviceId).matches()) {
      // The log's dead-letter call blocks until durable; ingest must not, so it runs elsewhere.
      return CompletableFuture.supplyAsync(
          () -> {
            DeadLetter letter =
                wal.deadLetter("bridge-test", "invalid_json", "not a JSON object", request.body());
            return new IngestResult.Rejected(
                IngestResult.Reason.INVALID_JSON, "not a JSON object", letter.sequence());
          },
          deadLetters);
    }
    AppendOutcome outcome = wal.append(RecordTypes.TELEMETRY, request.body());
    if (outcome instanceof AppendOutcome.Accepted accepted) {
      Telemetry telemetry =
          new Telemetry(
              deviceId,
              "gateway-test",
              OptionalLong.empty(),
              Optional.empty(),
              request.receivedAt(),
              Map.of(),
              Map.of(),
              Optional.empty(),
              "0".repeat(32),
              request.sourceTopic(),
              Telemetry.Format.SEED_JSON);
      return accepted.durable().thenApply(offset -> new IngestResult.Stored(offset, telemetry));
    }
    AppendOutcome.Refused refused = (AppendOutcome.Refused) outcome;
    return CompletableFuture.completedFuture(
        new IngestResult.Busy(refused.message(), Duration.ofMillis(200)));
  }

  /** Every durable record's body, read back from the log, oldest first. */
  List<String> storedBodies() {
    WalCursor cursor = wal.cursor("test-reader");
    cursor.rewind();
    List<String> bodies = new ArrayList<>();
    while (true) {
      List<WalRecord> batch = cursor.poll(1000, Long.MAX_VALUE);
      if (batch.isEmpty()) {
        return bodies;
      }
      for (WalRecord record : batch) {
        bodies.add(new String(record.body(), StandardCharsets.UTF_8));
      }
    }
  }

  /** Every dead letter's body. */
  List<String> deadLetterBodies() {
    return wal.deadLetters().stream()
        .map(letter -> new String(letter.body(), StandardCharsets.UTF_8))
        .toList();
  }

  @Override
  public void close() {
    deadLetters.shutdownNow();
  }
}
