package io.auditgate.ingest.http;

import static io.auditgate.ingest.http.HttpFixture.client;
import static io.auditgate.ingest.http.HttpFixture.json;
import static io.auditgate.ingest.http.HttpFixture.readResponse;
import static io.auditgate.ingest.http.HttpFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.http.HttpFixture.RawResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP itself: routing, probes, the OpenAPI document, malformed input, keep-alive, pipelining. */
@Timeout(60)
class ProtocolTest {
  @TempDir Path dir;

  @Test
  void unknownPathsAre404Json() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      for (String path :
          List.of("/", "/nowhere", "/v1/ingest/", "/v1/ingest/bad%20id", "/v1/ingest/a/b/c")) {
        HttpResponse<String> response = send(client(), http.get(path));

        assertThat(response.statusCode()).as(path).isEqualTo(404);
        assertThat(json(response).get("code").asText()).isEqualTo("not_found");
        assertThat(json(response).get("message").asText()).isNotBlank();
      }
    }
  }

  @Test
  void aWrongMethodIs405WithAllow() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> getIngest = send(client(), http.get("/v1/ingest/device-a"));
      HttpResponse<String> postHealth = send(client(), http.post("/healthz", "{}"));
      HttpResponse<String> deleteBatch =
          send(
              client(),
              HttpRequest.newBuilder(http.uri("/v1/ingest/device-a/batch"))
                  .timeout(HttpFixture.TIMEOUT)
                  .DELETE());

      assertThat(getIngest.statusCode()).isEqualTo(405);
      assertThat(getIngest.headers().firstValue("Allow")).hasValue("POST");
      assertThat(json(getIngest).get("code").asText()).isEqualTo("method_not_allowed");
      assertThat(postHealth.statusCode()).isEqualTo(405);
      assertThat(postHealth.headers().firstValue("Allow")).hasValue("GET");
      assertThat(deleteBatch.statusCode()).isEqualTo(405);
    }
  }

  @Test
  void healthIsAlwaysOkAndReadinessAsksTheSupplier() {
    AtomicReference<Optional<String>> notReady = new AtomicReference<>(Optional.empty());
    try (HttpFixture http = HttpFixture.in(dir).readiness(notReady::get).start()) {
      HttpResponse<String> health = send(client(), http.get("/healthz"));
      HttpResponse<String> ready = send(client(), http.get("/readyz"));
      notReady.set(Optional.of("the write-ahead log is full"));
      HttpResponse<String> unready = send(client(), http.get("/readyz"));

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(json(health).get("status").asText()).isEqualTo("ok");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(unready.statusCode()).isEqualTo(503);
      assertThat(json(unready).get("code").asText()).isEqualTo("not_ready");
      assertThat(json(unready).get("message").asText()).isEqualTo("the write-ahead log is full");
    }
  }

  @Test
  void aReadinessCheckThatThrowsIsNotReady() {
    Readiness broken =
        () -> {
          throw new IllegalStateException("probe bug");
        };
    try (HttpFixture http = HttpFixture.in(dir).readiness(broken).start()) {
      assertThat(send(client(), http.get("/readyz")).statusCode()).isEqualTo(503);
    }
  }

  @Test
  void theOpenApiDocumentIsValidJsonNamingEveryEndpoint() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response = send(client(), http.get("/docs/openapi.json"));

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode document = json(response);
      assertThat(document.get("openapi").asText()).startsWith("3.");
      List<String> paths = new ArrayList<>();
      document.get("paths").fieldNames().forEachRemaining(paths::add);
      assertThat(paths)
          .containsExactlyInAnyOrder(
              "/v1/ingest/{deviceId}",
              "/v1/ingest/{deviceId}/batch",
              "/healthz",
              "/readyz",
              "/docs/openapi.json")
          .containsExactlyInAnyOrderElementsOf(Route.Endpoint.templates());
      for (Route.Endpoint endpoint : Route.Endpoint.values()) {
        JsonNode operation =
            document
                .get("paths")
                .get(endpoint.template())
                .get(endpoint.method().name().toLowerCase(java.util.Locale.ROOT));
        assertThat(operation).as(endpoint.template()).isNotNull();
      }
      // Every status the ingest endpoint can answer is documented.
      JsonNode ingest = document.get("paths").get("/v1/ingest/{deviceId}").get("post");
      List<String> statuses = new ArrayList<>();
      ingest.get("responses").fieldNames().forEachRemaining(statuses::add);
      assertThat(statuses).contains("202", "400", "401", "403", "413", "415", "429", "503");
    }
  }

  @Test
  void aMalformedRequestIs400JsonAndTheConnectionCloses() throws IOException {
    try (HttpFixture http = HttpFixture.in(dir).start();
        SSLSocket socket = http.rawTls(null)) {
      write(
          socket, "POST /v1/ingest/device-a HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n{}");

      RawResponse response = readResponse(socket.getInputStream());

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.headers().get("connection")).isEqualTo("close");
      assertThat(HttpFixture.JSON.readTree(response.body()).get("code").asText())
          .isEqualTo("bad_request");
      assertThat(socket.getInputStream().read()).as("closed").isEqualTo(-1);
    }
  }

  @Test
  void anOverlongRequestLineIs414() throws IOException {
    try (HttpFixture http = HttpFixture.in(dir).start();
        SSLSocket socket = http.rawTls(null)) {
      write(socket, "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n");

      assertThat(readResponse(socket.getInputStream()).status()).isEqualTo(414);
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlowest() throws Exception {
    // The first message's answer is held back; a listener that served pipelined requests
    // concurrently would answer the second and third first.
    TelemetryIngest slowFirst =
        request -> {
          String body = new String(request.body(), StandardCharsets.UTF_8);
          if (!body.contains("slow")) {
            return CompletableFuture.completedFuture(
                new IngestResult.Stored(2, WalIngest.telemetry(request)));
          }
          return CompletableFuture.supplyAsync(
              () -> new IngestResult.Stored(1, WalIngest.telemetry(request)),
              CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        };
    try (HttpFixture http = HttpFixture.in(dir).ingest(walIngest -> slowFirst).start();
        SSLSocket socket = http.rawTls("device-a")) {
      String slow = "{\"slow\":true}";
      String fast = "{\"fast\":true}";
      write(
          socket,
          post("/v1/ingest/device-a", slow)
              + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
              + post("/v1/ingest/device-a", fast));

      InputStream in = socket.getInputStream();
      RawResponse first = readResponse(in);
      RawResponse second = readResponse(in);
      RawResponse third = readResponse(in);

      assertThat(first.status()).isEqualTo(202);
      assertThat(HttpFixture.JSON.readTree(first.body()).get("wal_offset").asLong()).isEqualTo(1);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).contains("\"ok\"");
      assertThat(third.status()).isEqualTo(202);
      assertThat(HttpFixture.JSON.readTree(third.body()).get("wal_offset").asLong()).isEqualTo(2);
      assertThat(first.headers()).doesNotContainKey("connection");
    }
  }

  @Test
  void aRefusedRequestsBodyIsSkippedAndTheConnectionKeepsServing() throws IOException {
    try (HttpFixture http = HttpFixture.in(dir).start();
        SSLSocket socket = http.rawTls(null)) {
      String body = "{\"x\":\"" + "y".repeat(3000) + "\"}";
      write(
          socket,
          post("/v1/ingest/device-a", body)
              + "POST /v1/ingest/device-a HTTP/1.1\r\nHost: x\r\nContent-Type: application/json"
              + "\r\nAuthorization: Bearer token-a\r\nContent-Length: 2\r\n\r\n{}");

      InputStream in = socket.getInputStream();
      RawResponse refused = readResponse(in);
      RawResponse stored = readResponse(in);

      assertThat(refused.status()).isEqualTo(401);
      assertThat(stored.status()).isEqualTo(202);
      assertThat(http.records()).extracting(HttpFixture::text).containsExactly("{}");
    }
  }

  @Test
  void http10ClosesUnlessAskedToKeepAlive() throws IOException {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      try (SSLSocket socket = http.rawTls(null)) {
        write(socket, "GET /healthz HTTP/1.0\r\n\r\n");
        RawResponse response = readResponse(socket.getInputStream());
        assertThat(response.status()).isEqualTo(200);
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      try (SSLSocket socket = http.rawTls(null)) {
        write(socket, "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawResponse first = readResponse(socket.getInputStream());
        write(socket, "GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        RawResponse second = readResponse(socket.getInputStream());
        assertThat(first.headers().get("connection")).isEqualToIgnoringCase("keep-alive");
        assertThat(second.status()).isEqualTo(200);
      }
    }
  }

  @Test
  void anIdleConnectionIsClosed() throws IOException {
    HttpIngestConfig config =
        new HttpIngestConfig(null, null, null, null, null, Duration.ofSeconds(1), null, null);
    try (HttpFixture http = HttpFixture.in(dir).config(config).start();
        SSLSocket socket = http.rawTls(null)) {
      write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(readResponse(socket.getInputStream()).status()).isEqualTo(200);

      long started = System.nanoTime();
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void connectionsOverTheLimitAreClosedOnAccept() throws Exception {
    HttpIngestConfig config = new HttpIngestConfig(null, null, null, null, 1, null, null, null);
    try (HttpFixture http = HttpFixture.in(dir).config(config).start()) {
      try (SSLSocket first = http.rawTls(null)) {
        boolean refused;
        try (SSLSocket second = http.rawTls(null)) {
          write(second, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
          refused = second.getInputStream().read() < 0;
        } catch (IOException expected) {
          refused = true;
        }
        assertThat(refused).isTrue();
        assertThat(http.server.metrics().refusedConnections()).isEqualTo(1);

        write(first, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(readResponse(first.getInputStream()).status()).isEqualTo(200);
      }
      awaitOpenConnections(http, 0);
      assertThat(send(client(), http.get("/healthz")).statusCode()).isEqualTo(200);
    }
  }

  private static void awaitOpenConnections(HttpFixture http, long expected)
      throws InterruptedException {
    for (int i = 0; i < 500 && http.server.metrics().openConnections() != expected; i++) {
      Thread.sleep(10);
    }
    assertThat(http.server.metrics().openConnections()).isEqualTo(expected);
  }

  private static String post(String path, String body) {
    return "POST "
        + path
        + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static void write(SSLSocket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
