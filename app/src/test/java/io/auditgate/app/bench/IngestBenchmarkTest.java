package io.auditgate.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.bench.IngestBenchOptions;
import io.auditgate.bench.IngestBenchResult;
import io.auditgate.bench.MosquittoBroker;
import io.auditgate.bench.MqttLoadGenerator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of {@code auditgate bench ingest} against the real gateway and real Mosquitto. */
class IngestBenchmarkTest {
  @TempDir Path dir;

  @Test
  void bothTargetsAcknowledgeMessagesAndTheJsonHasTheRatio() throws Exception {
    assumeTrue(MosquittoBroker.installed(), "mosquitto is not installed");
    IngestBenchOptions tiny =
        new IngestBenchOptions(2, 8, Duration.ofSeconds(1), 1, Duration.ofMillis(300), 20, dir);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    IngestBenchResult result =
        IngestBenchmark.run(tiny, new PrintStream(progress, true, StandardCharsets.UTF_8));

    assertThat(result.auditgate().acknowledged()).as(progress.toString()).isPositive();
    assertThat(result.mosquitto().acknowledged()).as(progress.toString()).isPositive();
    JsonNode json = new ObjectMapper().readTree(result.toJson());
    assertThat(json.at("/throughput/ratio_auditgate_to_mosquitto").isNumber()).isTrue();
    assertThat(json.at("/throughput/auditgate/puback_p99_ms").isNumber()).isTrue();
    assertThat(json.at("/idle_connections/auditgate/open").asInt()).isEqualTo(20);
    assertThat(json.at("/idle_connections/mosquitto/open").asInt()).isEqualTo(20);
    assertThat(json.at("/targets").size()).isEqualTo(3);
  }

  @Test
  void payloadsAreTwoHundredBytesOfSeedJson() throws Exception {
    byte[] payload = MqttLoadGenerator.payload(123_456_789L);
    assertThat(payload).hasSize(MqttLoadGenerator.PAYLOAD_BYTES);
    JsonNode json = new ObjectMapper().readTree(payload);
    assertThat(json.get("seq").asLong()).isEqualTo(123_456_789L);
    assertThat(json.get("metrics").get("temperature_c").asDouble()).isEqualTo(21.5);
  }
}
