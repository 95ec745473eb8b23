package io.auditgate.app.reliability;

import static io.auditgate.app.reliability.Load.ONE_SECOND_OF_MESSAGES;
import static io.auditgate.app.reliability.Scenario.Acknowledgements.ALL_DELIVERED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.KafkaRecordHeaders;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationReport;
import io.auditgate.store.StoreConsumer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison in {@code telemetry.v1}, produced straight into Kafka between the gateway's records while
 * the boards publish: the store consumer sends each to {@code telemetry.dlq.v1} with its reason,
 * moves past it, and stores everything else exactly once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PoisonRecordTest {
  private static final Duration NOTICE = Duration.ofSeconds(20);
  private static final String POISON_ID = "test.poison_id";

  /** A forged seq far beyond what the boards send: if it were stored, reconciliation would see. */
  private static final long FORGED_SEQ = 9_999_999;

  @TempDir static Path dir;
  private static ReliabilityHarness harness;

  @BeforeAll
  static void startKafkaAndPostgres() {
    harness = ReliabilityHarness.start(dir, true);
  }

  @AfterAll
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  /** What was produced, and the reason the consumer must give for it. */
  private record Poison(String id, String expectedReason, ProducerRecord<byte[], byte[]> record) {}

  @Test
  void poisonRecordsEndInTheDeadLetterTopicAndEverythingElseIsStored() throws Exception {
    try (Scenario scenario = harness.scenarioOnDefaultTopics("poison");
        Node node = scenario.startGatewayAndStoreConsumer();
        Load load = scenario.startLoadOnceDelivering(node, Duration.ofSeconds(12))) {
      Gateway gateway = node.gateway().orElseThrow();
      StoreConsumer consumer = node.consumer().orElseThrow();
      assertThat(scenario.topics().telemetry()).isEqualTo("telemetry.v1");
      assertThat(scenario.topics().deadLetters()).isEqualTo("telemetry.dlq.v1");
      scenario.awaitStored(ONE_SECOND_OF_MESSAGES, NOTICE);

      List<Poison> poison = poison(scenario.topics().telemetry());
      produce(poison);
      long acknowledgedAfterPoison = load.acknowledged();
      load.awaitAcknowledged(acknowledgedAfterPoison + 2 * ONE_SECOND_OF_MESSAGES, NOTICE);

      SimulationReport report = load.awaitEnd();
      Scenario.awaitBacklogDrained(gateway);
      scenario.awaitConsumerCaughtUp(); // it moved past the poison
      scenario.assertEveryAcknowledgedMessageStoredOnce(report, ALL_DELIVERED);
      assertThat(scenario.store().storedSeqs(SimulationPlan.deviceId(1)))
          .as("the forged envelope's seq")
          .doesNotContain(FORGED_SEQ);

      Map<String, ConsumerRecord<byte[], byte[]>> dead =
          readDeadLetters(scenario.topics().deadLetters(), poison.size());
      for (Poison p : poison) {
        ConsumerRecord<byte[], byte[]> letter = dead.get(p.id());
        assertThat(letter).as("dead letter of %s", p.id()).isNotNull();
        assertThat(letter.value()).as("%s keeps its value", p.id()).isEqualTo(p.record().value());
        assertThat(header(letter, StoreConsumer.DLQ_REASON))
            .as("reason of %s", p.id())
            .contains(p.expectedReason());
        assertThat(header(letter, StoreConsumer.DLQ_DETAIL))
            .as("detail of %s", p.id())
            .hasValueSatisfying(detail -> assertThat(detail).isNotBlank());
        assertThat(header(letter, StoreConsumer.DLQ_SOURCE))
            .as("source of %s", p.id())
            .hasValueSatisfying(source -> assertThat(source).startsWith("telemetry.v1-"));
      }
      assertThat(consumer.metrics().poison()).as("poison counted").isEqualTo(poison.size());
    }
  }

  /**
   * Three kinds: bytes without the gateway's headers; garbage behind valid headers; and an envelope
   * that looks right (a real envelope's JSON, right schema, device, gateway and seq) but carries a
   * metric that is not a number.
   */
  private static List<Poison> poison(String topic) throws Exception {
    byte[] device = SimulationPlan.deviceId(1).getBytes(StandardCharsets.UTF_8);
    byte[] garbage = {(byte) 0xde, (byte) 0xad, '{', 0, (byte) 0xff, 'x'};
    List<Poison> poison = new ArrayList<>();
    poison.add(
        new Poison(
            "no-headers", "missing_header", new ProducerRecord<>(topic, null, device, garbage)));
    poison.add(
        new Poison(
            "garbage",
            "unreadable_envelope",
            withGatewayHeaders(new ProducerRecord<>(topic, null, device, garbage), 1)));

    Telemetry telemetry =
        new Telemetry(
            SimulationPlan.deviceId(1),
            "gw-forger",
            OptionalLong.of(FORGED_SEQ),
            Optional.empty(),
            Instant.now(),
            Map.of("temperature_c", 21.5),
            Map.of(),
            Optional.empty(),
            "0af7651916cd43dd8448eb211c80319c",
            SimulationPlan.telemetryTopic(SimulationPlan.deviceId(1)),
            Telemetry.Format.SEED_JSON);
    byte[] valid =
        new EnvelopeCodec()
            .encode(
                new Envelope(EnvelopeSchema.TELEMETRY_V1, IngestRequest.Transport.MQTT, telemetry));
    ObjectMapper json = new ObjectMapper();
    ObjectNode forged = (ObjectNode) json.readTree(valid);
    assertThat(forged.path("metrics").has("temperature_c"))
        .as("the envelope's metrics field")
        .isTrue();
    ((ObjectNode) forged.get("metrics")).put("temperature_c", "hot");
    poison.add(
        new Poison(
            "unreadable-envelope",
            "unreadable_envelope",
            withGatewayHeaders(
                new ProducerRecord<>(topic, null, device, json.writeValueAsBytes(forged)), 2)));

    for (Poison p : poison) {
      p.record()
          .headers()
          .add(new RecordHeader(POISON_ID, p.id().getBytes(StandardCharsets.UTF_8)));
    }
    return poison;
  }

  private static ProducerRecord<byte[], byte[]> withGatewayHeaders(
      ProducerRecord<byte[], byte[]> record, long walOffset) {
    record.headers().add(KafkaRecordHeaders.GATEWAY_ID, KafkaRecordHeaders.gatewayId("gw-forger"));
    record.headers().add(KafkaRecordHeaders.WAL_OFFSET, KafkaRecordHeaders.walOffset(walOffset));
    record.headers().add(KafkaRecordHeaders.RECORD_TYPE, new byte[] {RecordTypes.TELEMETRY});
    return record;
  }

  private static void produce(List<Poison> poison) throws Exception {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.kafka().bootstrapServers());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (Poison p : poison) {
        producer.send(p.record()).get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Reads the dead-letter topic from the start until {@code count} of ours are there. */
  private static Map<String, ConsumerRecord<byte[], byte[]>> readDeadLetters(
      String topic, int count) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, harness.kafka().bootstrapServers());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    Map<String, ConsumerRecord<byte[], byte[]>> found = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> reader =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          reader.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      return Waits.until(
          count + " dead letters in " + topic,
          NOTICE,
          () -> {
            for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
              header(r, POISON_ID).ifPresent(id -> found.put(id, r));
            }
            return found;
          },
          seen -> seen.size() >= count);
    }
  }

  private static Optional<String> header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null
        ? Optional.empty()
        : Optional.of(new String(header.value(), StandardCharsets.UTF_8));
  }
}
