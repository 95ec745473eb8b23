package io.auditgate.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WriteAheadLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A stand-in for the real pipeline with the one property the listener relies on: {@code Stored}
 * only once the raw body is durable in a real write-ahead log. A body that is not a JSON object or
 * array is rejected (and dead-lettered); a log that refuses the append makes it busy.
 */
final class WalIngest implements TelemetryIngest {
  static final byte RECORD_TYPE = 1;
  static final Duration RETRY_AFTER = Duration.ofMillis(1500);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WriteAheadLog wal;
  private final List<IngestRequest> seen = new CopyOnWriteArrayList<>();

  WalIngest(WriteAheadLog wal) {
    this.wal = wal;
  }

  /** Every request the listener handed over, in order. */
  List<IngestRequest> seen() {
    return List.copyOf(seen);
  }

  @Override
  public CompletionStage<IngestResult> ingest(IngestRequest request) {
    seen.add(request);
    if (!isObjectOrArray(request.body())) {
      long sequence =
          wal.deadLetter("http", "invalid_json", "not a JSON object or array", request.body())
              .sequence();
      return CompletableFuture.completedFuture(
          new IngestResult.Rejected(
              IngestResult.Reason.INVALID_JSON,
              "a message is a JSON object or a SenML array",
              sequence));
    }
    AppendOutcome outcome = wal.append(RECORD_TYPE, request.body());
    if (outcome instanceof AppendOutcome.Refused refused) {
      return CompletableFuture.completedFuture(
          new IngestResult.Busy("the log refused the append: " + refused.reason(), RETRY_AFTER));
    }
    return ((AppendOutcome.Accepted) outcome)
        .durable()
        .thenApply(offset -> new IngestResult.Stored(offset, telemetry(request)));
  }

  static Telemetry telemetry(IngestRequest request) {
    return new Telemetry(
        request.identity().deviceId(),
        "gateway-test",
        OptionalLong.empty(),
        Optional.empty(),
        request.receivedAt(),
        Map.of(),
        Map.of(),
        Optional.of(new String(request.body(), StandardCharsets.UTF_8)),
        request.traceId().orElseGet(WalIngest::newTraceId),
        request.sourceTopic(),
        Telemetry.Format.SEED_JSON);
  }

  private static String newTraceId() {
    byte[] id = new byte[16];
    ThreadLocalRandom.current().nextBytes(id);
    return HexFormat.of().formatHex(id);
  }

  private static boolean isObjectOrArray(byte[] body) {
    try {
      JsonNode node = JSON.readTree(body);
      return node != null && (node.isObject() || node.isArray());
    } catch (IOException e) {
      return false;
    }
  }
}
