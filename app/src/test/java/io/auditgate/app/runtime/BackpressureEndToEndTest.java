package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.ingest.tls.ClientTlsContexts;
import io.auditgate.wal.WalInspector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure through the wired gateway: a log of two 4 KiB segments that nothing consumes (no
 * sink, no cursor) fills up under QoS 1 publishes from an MQTT 5 device. The gateway must then stop
 * acknowledging (PUBACK 0x97 quota exceeded, per docs/mqtt.md), must have stored every message it
 * did acknowledge, and HTTPS ingest must answer 503 with {@code Retry-After} while the log is full.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BackpressureEndToEndTest {
  private static final String DEVICE = "b-l475e-0001";
  private static final DataSize SEGMENT = DataSize.ofKibibytes(4);
  private static final DataSize MAX_TOTAL = DataSize.ofKibibytes(8);

  /** Far more than fits (about 20 do): the log must refuse long before. */
  private static final int MAX_PUBLISHES = 500;

  private static final long FILL_SECONDS = 20;

  @TempDir Path dir;

  @Test
  void aFullLogStopsAcknowledgingLosesNothingAcknowledgedAndAnswers503() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), List.of(DEVICE));
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-full", dir.resolve("data")))
            .withWal(
                new WalConfig(
                    SEGMENT,
                    DataSize.ofKibibytes(1),
                    null,
                    null,
                    MAX_TOTAL,
                    null,
                    WalConfig.OverflowPolicy.REFUSE,
                    DataSize.ofBytes(0)))
            .withTls(pki.serverTls())
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withDispatch(DispatchConfig.logOnly());
    List<Long> acknowledged = new ArrayList<>();
    Optional<Long> refusedSeq = Optional.empty();
    String refusal = "";
    try (Gateway gateway = Gateway.start(config, Clock.systemUTC())) {
      Mqtt5AsyncClient client = pki.connect(DEVICE, gateway.mqttAddress().getPort());
      try {
        // One at a time, so that the first refusal marks exactly where the log was full.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FILL_SECONDS);
        for (long seq = 1;
            seq <= MAX_PUBLISHES && refusedSeq.isEmpty() && System.nanoTime() < deadline;
            seq++) {
          CompletableFuture<Mqtt5PublishResult> sent =
              client
                  .publishWith()
                  .topic("devices/" + DEVICE + "/telemetry")
                  .qos(MqttQos.AT_LEAST_ONCE)
                  .payload(TestPki.telemetry(seq))
                  .send();
          Mqtt5PubAckReasonCode code;
          try {
            code = pubAckCode(sent);
          } catch (TimeoutException noAck) {
            // docs/mqtt.md allows a pause instead of a negative PUBACK; either stops the device.
            refusedSeq = Optional.of(seq);
            refusal = "no PUBACK within 5 s";
            break;
          }
          if (code.isError()) {
            refusedSeq = Optional.of(seq);
            refusal = "PUBACK " + code;
          } else {
            acknowledged.add(seq);
          }
        }
        // Nothing acknowledged was dropped: checked first, since acknowledging what the full log
        // could not store is the worst way to fail. The inspector reads the running gateway's log.
        assertAllInLog(acknowledged);
        assertThat(refusedSeq)
            .as(
                "the log of %s refused within %d publishes and %d s (%d acknowledged)",
                MAX_TOTAL, MAX_PUBLISHES, FILL_SECONDS, acknowledged.size())
            .isPresent();
        assertThat(refusal).isEqualTo("PUBACK " + Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
        assertThat(acknowledged).as("acknowledged before the log was full").isNotEmpty();

        // Still full: a second attempt is refused the same way, nothing frees space.
        Mqtt5PubAckReasonCode again =
            pubAckCode(
                client
                    .publishWith()
                    .topic("devices/" + DEVICE + "/telemetry")
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(TestPki.telemetry(refusedSeq.get() + 1))
                    .send());
        assertThat(again).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
      } finally {
        client.disconnect().get(5, TimeUnit.SECONDS);
      }

      var clientTls =
          ClientTlsContexts.build(
              pki.caCertificate, pki.certificate(DEVICE), pki.key(DEVICE), Optional.empty());
      HttpClient http = HttpClient.newBuilder().sslContext(clientTls.jdk()).build();
      HttpResponse<String> busy =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "https://localhost:"
                              + gateway.httpAddress().getPort()
                              + "/v1/ingest/"
                              + DEVICE))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"seq\":900000,\"metrics\":{}}"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(busy.statusCode()).as(busy.body()).isEqualTo(503);
      assertThat(busy.headers().firstValue("Retry-After"))
          .as("Retry-After on the 503")
          .hasValueSatisfying(seconds -> assertThat(Long.parseLong(seconds)).isPositive());
    }

    WalInspector.Inspection inspection = new WalInspector(dir.resolve("data/wal")).inspect();
    assertThat(inspection.hasErrors()).as("%s", inspection).isFalse();
    assertThat(inspection.totalBytes()).as("bytes on disk").isLessThanOrEqualTo(MAX_TOTAL.bytes());
    Map<String, Integer> stored = assertAllInLog(acknowledged);
    assertThat(stored)
        .as("refused messages are not in the log")
        .doesNotContainKeys(
            TestPki.key(DEVICE, refusedSeq.get()),
            TestPki.key(DEVICE, refusedSeq.get() + 1),
            TestPki.key(DEVICE, 900000));
    System.out.printf(
        "BackpressureEndToEndTest: %d acknowledged, then %s; %d bytes on disk%n",
        acknowledged.size(), refusal, inspection.totalBytes());
  }

  private Map<String, Integer> assertAllInLog(List<Long> acknowledged) {
    Map<String, Integer> stored = TestPki.storedCounts(dir.resolve("data/wal"));
    for (long seq : acknowledged) {
      assertThat(stored)
          .as("acknowledged seq %d in the log (%d acknowledged)", seq, acknowledged.size())
          .containsEntry(TestPki.key(DEVICE, seq), 1);
    }
    return stored;
  }

  /** The PUBACK's reason code; the HiveMQ client reports an error code as a failed future. */
  private static Mqtt5PubAckReasonCode pubAckCode(CompletableFuture<Mqtt5PublishResult> sent)
      throws InterruptedException, TimeoutException {
    try {
      return ((Mqtt5PublishResult.Mqtt5Qos1Result) sent.get(5, TimeUnit.SECONDS))
          .getPubAck()
          .getReasonCode();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Mqtt5PubAckException refused) {
        return refused.getMqttMessage().getReasonCode();
      }
      throw new AssertionError("publish failed without a PUBACK", e.getCause());
    }
  }
}
