package io.auditgate.app.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.auditgate.app.Main;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.embedded.LoopbackPorts;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.sim.PemCredentials;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A gateway-only node (no store: it forwards to a Kafka that is down) serves its own /metrics,
 * /healthz and /readyz over real HTTPS with a token created by {@code auditgate tokens create
 * --file}, while a real MQTT device publishes to it over real TLS; its heartbeats report the
 * backlog's bytes while the sink cannot deliver.
 */
class GatewayOnlyMetricsTest {
  @TempDir Path dir;

  @Test
  void aGatewayWithoutAStoreServesItsMetricsToATokenFromTheTokensFile() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    Path tokens = dir.resolve("etc/web-tokens");
    String scraper = createToken(tokens, "prometheus", "metrics");
    String writer = createToken(tokens, "registry-bot", "write");
    assertThat(Files.readString(tokens)).doesNotContain(scraper).doesNotContain(writer);

    AuditgateConfig config =
        gatewayForwardingToAStoppedKafka(fixture)
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0).withTokensFile(tokens));
    try (Node node = Node.start(config, Clock.systemUTC())) {
      assertThat(node.storeOptions()).as("a gateway-only node").isEmpty();
      String base = node.web().orElseThrow().baseUrl();
      assertThat(base).startsWith("https://");
      Gateway gateway = node.gateway().orElseThrow();

      Mqtt5BlockingClient device = fixture.mqtt(gateway.mqttAddress().getPort());
      for (int seq = 1; seq <= 3; seq++) {
        device
            .publishWith()
            .topic("devices/" + ObservabilityFixture.DEVICE + "/telemetry")
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload(ObservabilityFixture.telemetry(seq).getBytes(StandardCharsets.UTF_8))
            .send();
      }
      device.disconnect();

      HttpClient http = HttpClient.newBuilder().sslContext(trusting(fixture.caCertificate)).build();
      HttpResponse<String> scraped = get(http, base + "/metrics", scraper);
      assertThat(scraped.statusCode()).as(scraped.body()).isEqualTo(200);
      Scrape scrape = Scrape.parse(scraped.body());
      assertThat(scrape.value("auditgate_mqtt_publishes_total", "qos", "1")).isEqualTo(3);
      assertThat(scrape.value("auditgate_ingest_messages_stored_total"))
          .as("the three messages (and the device's connectivity events)")
          .isGreaterThanOrEqualTo(3);
      assertThat(scrape.value("auditgate_wal_appended_records_total")).isGreaterThanOrEqualTo(3);

      assertThat(get(http, base + "/metrics", null).statusCode()).isEqualTo(401);
      String wrong = "agt_" + "A".repeat(43);
      HttpResponse<String> unknown = get(http, base + "/metrics", wrong);
      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(unknown.headers().firstValue("www-authenticate")).isPresent();
      HttpResponse<String> forbidden = get(http, base + "/metrics", writer);
      assertThat(forbidden.statusCode()).isEqualTo(403);
      assertThat(forbidden.body()).contains("\"forbidden\"").contains("registry-bot");

      HttpResponse<String> api = get(http, base + "/api/v1/summary", scraper);
      assertThat(api.statusCode()).isEqualTo(404);
      assertThat(api.body()).contains("\"no_store_on_this_node\"");
      HttpResponse<String> health = get(http, base + "/healthz", null);
      assertThat(health.statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(http, base + "/readyz", null);
      assertThat(new ObjectMapper().readTree(ready.body()).get("checks").fieldNames())
          .toIterable()
          .contains("wal_writable", "listeners_bound", "sinks_reachable");

      Scrape after = Scrape.parse(get(http, base + "/metrics", scraper).body());
      assertThat(after.value("auditgate_web_token_attempts_failed_total"))
          .as("the unknown token counted")
          .isEqualTo(1);
      assertThat(after.value("auditgate_web_token_attempts_refused_total")).isZero();
      String sink = gateway.sinkMetrics().keySet().iterator().next();
      assertThat(after.value("auditgate_sink_backlog_bytes", "sink", sink)).isPositive();

      Map<String, String> heartbeat = awaitHeartbeatWithBacklogBytes(gateway, sink);
      long records = Long.parseLong(heartbeat.get(sink + ".backlog_records"));
      assertThat(Long.parseLong(heartbeat.get(sink + ".backlog_bytes")))
          .as("an envelope is far more than 16 bytes")
          .isGreaterThan(16 * records);
    }
  }

  @Test
  void withoutATokensFileAGatewayOnlyNodeServesNothingAndABadFileStopsTheStart() throws Exception {
    ObservabilityFixture fixture = new ObservabilityFixture(dir);
    AuditgateConfig plain =
        gatewayForwardingToAStoppedKafka(fixture)
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0));
    try (Node node = Node.start(plain, Clock.systemUTC())) {
      assertThat(node.web()).as("web.tokens_file is the opt-in").isEmpty();
    }

    Path bad = dir.resolve("bad-tokens");
    Files.writeString(bad, "# scrapers\n" + "ab".repeat(32) + " metrics,everything prom\n");
    AuditgateConfig broken =
        plain.withWeb(WebConfig.defaults().withBind("127.0.0.1", 0).withTokensFile(bad));
    assertThatThrownBy(() -> Node.start(broken, Clock.systemUTC()).close())
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("web.tokens_file: ")
        .hasMessageContaining("line 2: unknown_scope");
  }

  /** Gateway-only: forwards to a Kafka that nothing listens for, heartbeats every second. */
  private static AuditgateConfig gatewayForwardingToAStoppedKafka(ObservabilityFixture fixture) {
    return fixture
        .config(null)
        .withKafka(
            new KafkaConfig(
                Optional.of("127.0.0.1:" + LoopbackPorts.free()),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                Duration.ofSeconds(1),
                Map.of("reconnect.backoff.max.ms", "200")))
        .withDispatch(
            new DispatchConfig(
                DispatchConfig.Sink.KAFKA, null, null, null, null, Duration.ofSeconds(1)));
  }

  /** Reads the gateway's own log (a cursor of the test's) until a heartbeat reports bytes. */
  private static Map<String, String> awaitHeartbeatWithBacklogBytes(Gateway gateway, String sink)
      throws InterruptedException {
    WalCursor probe = gateway.wal().cursor("test-probe");
    GatewayEventCodec codec = new GatewayEventCodec();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Map<String, String> last = Map.of();
    while (System.nanoTime() < deadline) {
      for (WalRecord record : probe.poll(1000, 1 << 20)) {
        if (record.type() != RecordTypes.GATEWAY_EVENT) {
          continue;
        }
        GatewayEvent event = codec.decode(record.body());
        if (event.kind() == GatewayEvent.Kind.HEARTBEAT) {
          last = event.attributes();
          // the first heartbeats may predate the device's messages
          if (Long.parseLong(last.getOrDefault(sink + ".backlog_records", "0")) >= 3
              && Long.parseLong(last.getOrDefault(sink + ".backlog_bytes", "0")) > 0) {
            return last;
          }
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no heartbeat with the messages and " + sink + ".backlog_bytes > 0; last: " + last);
  }

  /** {@code auditgate tokens create --file}, as an operator runs it; the token it prints. */
  private static String createToken(Path file, String name, String scope) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int code;
    try {
      code =
          Main.execute(
              "tokens", "create", "--file", file.toString(), "--name", name, "--scope", scope);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("only this once");
    String token = out.toString(StandardCharsets.UTF_8).trim();
    assertThat(token).matches("^agt_[A-Za-z0-9_-]{43}$");
    return token;
  }

  private static HttpResponse<String> get(HttpClient http, String url, String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(Path rootCa) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, PemCredentials.trustManagerFactory(rootCa).getTrustManagers(), null);
    return context;
  }
}
