package io.auditgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.sink.Delivery;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalRecord;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Kafka sink with no broker at all: outcomes come within its bounds, never a hang. */
class KafkaSinkUnreachableTest {
  private static String closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static List<WalRecord> batch() {
    return batch(3);
  }

  /** {@code size} telemetry records from offset 10. */
  private static List<WalRecord> batch(int size) {
    List<WalRecord> records = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      records.add(
          new WalRecord(10 + i, RecordTypes.TELEMETRY, 0, Envelopes.telemetry("dev-1", 1 + i)));
    }
    return records;
  }

  @Test
  void anUnreachableBrokerIsReportedAsInterruptedWithinTheBlockingBound() throws Exception {
    KafkaSinkSettings settings =
        KafkaSinkSettings.defaults(closedPort())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(1));
    try (KafkaSink sink = new KafkaSink(withoutTopicCreation(settings))) {
      int records = 30;
      long started = System.nanoTime();
      Delivery outcome = sink.deliver(batch(records));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(outcome).isInstanceOf(Delivery.Interrupted.class);
      Delivery.Interrupted cut = (Delivery.Interrupted) outcome;
      assertThat(cut.resumeOffset()).isEqualTo(10);
      assertThat(cut.rejected()).isEmpty();
      assertThat(cut.reason()).startsWith("kafka: ").contains("Timeout");
      // One metadata wait (1 s) for the first record, not one per record (30 s). The bound is
      // generous, for a busy machine, and still far below a wait per record.
      assertThat(took).isLessThan(settings.maxBlock().multipliedBy(records / 3));
    }
  }

  @Test
  void topicCreationAgainstAnUnreachableBrokerIsAnInterruptionToo() throws Exception {
    KafkaSinkSettings settings =
        KafkaSinkSettings.defaults(closedPort())
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (KafkaSink sink = new KafkaSink(settings)) {
      long started = System.nanoTime();
      Delivery outcome = sink.deliver(batch());
      // Within the topic creator's bound (2 s here), not a hang; generous for a busy machine.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
      assertThat(outcome).isInstanceOf(Delivery.Interrupted.class);
      assertThat(((Delivery.Interrupted) outcome).reason()).contains("topic");
    }
  }

  @Test
  void aClosedSinkDeliversNothing() throws Exception {
    KafkaSink sink = new KafkaSink(withoutTopicCreation(KafkaSinkSettings.defaults(closedPort())));
    sink.close();
    assertThat(sink.deliver(batch()))
        .isEqualTo(new Delivery.Interrupted(10, List.of(), "kafka sink closed"));
  }

  @Test
  void propertiesThatWouldWeakenTheGuaranteeAreRefused() {
    assertThatThrownBy(
            () ->
                KafkaSinkSettings.defaults("localhost:9092")
                    .withExtraProperties(Map.of("acks", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("kafka property acks is fixed by the sink and cannot be overridden");
    assertThatThrownBy(
            () ->
                KafkaSinkSettings.defaults("localhost:9092")
                    .withExtraProperties(Map.of("enable.idempotence", "false")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void propertiesKafkaRefusesFailAtConstructionNamingTheProblem() {
    KafkaSinkSettings bad =
        KafkaSinkSettings.defaults("localhost:9092")
            .withExtraProperties(Map.of("security.protocol", "CARRIER_PIGEON"));
    assertThatThrownBy(() -> new KafkaSink(bad))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("CARRIER_PIGEON");
  }

  @Test
  void tlsAndSaslPropertiesArePassedThrough() {
    var props =
        KafkaSink.producerProperties(
            KafkaSinkSettings.defaults("broker:9093")
                .withExtraProperties(
                    Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512")));
    assertThat(props)
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("compression.type", "lz4")
        .containsEntry("bootstrap.servers", "broker:9093");
  }

  @Test
  void settingsComeFromTheKafkaConfigurationSection() {
    KafkaConfig config =
        new KafkaConfig(
            Optional.of("k1:9092,k2:9092"),
            "t.v1",
            "g.v1",
            "e.v1",
            "f.v1",
            null,
            12,
            3,
            Duration.ofSeconds(20),
            Map.of("security.protocol", "SSL"));
    KafkaSinkSettings s = KafkaSinkSettings.from(config, "gw-1");
    assertThat(s.bootstrapServers()).isEqualTo("k1:9092,k2:9092");
    assertThat(s.topics()).isEqualTo(new KafkaTopics("t.v1", "e.v1", "f.v1", "g.v1"));
    assertThat(s.topicPartitions()).isEqualTo(12);
    assertThat(s.replicationFactor()).isEqualTo((short) 3);
    assertThat(s.deliveryTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.extraProperties()).containsEntry("security.protocol", "SSL");
    assertThat(s.clientId()).isEqualTo("gw-1");
  }

  private static KafkaSinkSettings withoutTopicCreation(KafkaSinkSettings s) {
    return new KafkaSinkSettings(
        s.bootstrapServers(),
        s.topics(),
        s.clientId(),
        s.compression(),
        s.deliveryTimeout(),
        s.maxBlock(),
        s.maxRequestBytes(),
        false,
        s.topicPartitions(),
        s.replicationFactor(),
        s.extraProperties());
  }
}
