package io.auditgate.ingest.http;

import static io.auditgate.ingest.http.HttpFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.core.wal.WalRecord;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /v1/ingest/{deviceId}/batch}: per-item results, in order, bytes kept as sent. */
@Timeout(60)
class BatchEndpointTest {
  private static final String FIRST = "{\"seq\": 1, \"metrics\": {\"t\": 21.50}}";
  private static final String SENML = "[{\"bn\": \"urn:dev:a:\", \"n\": \"t\", \"v\": 1e1}]";
  private static final String LAST = "{\"seq\":3}";

  @TempDir Path dir;

  @Test
  void storesEachItemInOrderAndAnswersPerItem() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      String batch = "[ " + FIRST + " ,\n  42, " + SENML + ",\"text\"," + LAST + " ]";

      HttpResponse<String> response = http.postAsDeviceA("/v1/ingest/device-a/batch", batch);

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode body = json(response);
      assertThat(body.get("status").asText()).isEqualTo("incomplete");
      assertThat(body.get("stored").asInt()).isEqualTo(3);
      assertThat(body.get("rejected").asInt()).isEqualTo(2);
      List<JsonNode> results =
          StreamSupport.stream(body.get("results").spliterator(), false).toList();
      assertThat(results).extracting(r -> r.get("index").asInt()).containsExactly(0, 1, 2, 3, 4);
      assertThat(results)
          .extracting(r -> r.get("http_status").asInt())
          .containsExactly(202, 400, 202, 400, 202);
      assertThat(results.get(1).get("code").asText()).isEqualTo("invalid_json");
      // Exactly the bytes the device sent for each item, in array order.
      List<WalRecord> records = http.records();
      assertThat(records).extracting(HttpFixture::text).containsExactly(FIRST, SENML, LAST);
      assertThat(results.get(0).get("wal_offset").asLong()).isEqualTo(records.get(0).offset());
      assertThat(results.get(4).get("wal_offset").asLong()).isEqualTo(records.get(2).offset());
      assertThat(http.walIngest.seen())
          .extracting(r -> new String(r.body(), StandardCharsets.UTF_8))
          .containsExactly(FIRST, "42", SENML, "\"text\"", LAST);
      assertThat(http.walIngest.seen())
          .extracting(IngestRequest::sourceTopic)
          .containsOnly("/v1/ingest/device-a/batch");
    }
  }

  @Test
  void allStoredSaysStored() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response =
          http.postAsDeviceA("/v1/ingest/device-a/batch", "[" + FIRST + "," + LAST + "]");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json(response).get("status").asText()).isEqualTo("stored");
      assertThat(http.records()).hasSize(2);
      assertThat(http.server.metrics().messagesStored()).isEqualTo(2);
    }
  }

  @Test
  void aBatchThatIsNotAJsonArrayIs400() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      for (String notABatch : List.of(FIRST, "[" + FIRST, "[]", "[1] [2]", "")) {
        HttpResponse<String> response = http.postAsDeviceA("/v1/ingest/device-a/batch", notABatch);

        assertThat(response.statusCode()).as(notABatch).isEqualTo(400);
        assertThat(json(response).get("code").asText()).isEqualTo("invalid_batch");
      }
      assertThat(http.walIngest.seen()).isEmpty();
    }
  }

  @Test
  void moreItemsThanTheLimitIs413AndNothingIsStored() {
    HttpIngestConfig config = new HttpIngestConfig(null, null, null, 3, null, null, null, null);
    try (HttpFixture http = HttpFixture.in(dir).config(config).start()) {
      HttpResponse<String> response =
          http.postAsDeviceA("/v1/ingest/device-a/batch", "[{},{},{},{}]");
      HttpResponse<String> atLimit = http.postAsDeviceA("/v1/ingest/device-a/batch", "[{},{},{}]");

      assertThat(response.statusCode()).isEqualTo(413);
      assertThat(json(response).get("code").asText()).isEqualTo("too_many_items");
      assertThat(atLimit.statusCode()).isEqualTo(200);
      assertThat(http.records()).hasSize(3);
    }
  }

  @Test
  void aFirstItemRefusedAsBusyMakesTheWholeBatch503() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      http.fillLog();

      HttpResponse<String> response =
          http.postAsDeviceA("/v1/ingest/device-a/batch", "[" + FIRST + "," + LAST + "]");

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
      assertThat(json(response).get("code").asText()).isEqualTo("busy");
      assertThat(http.walIngest.seen()).as("stops at the busy item").hasSize(1);
    }
  }

  @Test
  void itemsAfterABusyOneAreNotAttempted() {
    AtomicInteger calls = new AtomicInteger();
    List<IngestRequest> seen = new CopyOnWriteArrayList<>();
    TelemetryIngest secondIsBusy =
        request -> {
          seen.add(request);
          return calls.incrementAndGet() == 2
              ? CompletableFuture.completedFuture(
                  new IngestResult.Busy("full", Duration.ofMillis(2500)))
              : CompletableFuture.completedFuture(
                  new IngestResult.Stored(calls.get(), WalIngest.telemetry(request)));
        };
    try (HttpFixture http = HttpFixture.in(dir).ingest(walIngest -> secondIsBusy).start()) {
      HttpResponse<String> response =
          http.postAsDeviceA("/v1/ingest/device-a/batch", "[{\"a\":1},{\"b\":2},{\"c\":3}]");

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode results = json(response).get("results");
      assertThat(results.get(0).get("http_status").asInt()).isEqualTo(202);
      assertThat(results.get(1).get("http_status").asInt()).isEqualTo(503);
      assertThat(results.get(1).get("code").asText()).isEqualTo("busy");
      assertThat(results.get(1).get("retry_after_seconds").asInt()).isEqualTo(3);
      assertThat(results.get(2).get("http_status").asInt()).isEqualTo(503);
      assertThat(results.get(2).get("code").asText()).isEqualTo("not_attempted");
      assertThat(seen).hasSize(2);
      assertThat(json(response).get("busy").asInt()).isEqualTo(2);
    }
  }

  @Test
  void aBatchForAnotherDeviceIs403() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response = http.postAsDeviceA("/v1/ingest/device-b/batch", "[{}]");

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(http.walIngest.seen()).isEmpty();
    }
  }
}
