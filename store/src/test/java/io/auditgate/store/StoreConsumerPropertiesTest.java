package io.auditgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** {@code kafka.client_properties} may add settings, never weaken the delivery guarantee. */
class StoreConsumerPropertiesTest {
  private final StoreConsumerOptions options =
      StoreConsumerOptions.defaults("broker:9092")
          .withKafkaOverrides(
              Map.ofEntries(
                  Map.entry("enable.auto.commit", "true"),
                  Map.entry("auto.offset.reset", "latest"),
                  Map.entry("group.id", "someone-else"),
                  Map.entry("max.poll.records", "1000000"),
                  Map.entry("key.deserializer", "org.example.Other"),
                  Map.entry("bootstrap.servers", "elsewhere:9092"),
                  Map.entry("acks", "0"),
                  Map.entry("enable.idempotence", "false"),
                  Map.entry("value.serializer", "org.example.Other"),
                  Map.entry("security.protocol", "SSL"),
                  Map.entry("delivery.timeout.ms", "60000")));

  @Test
  void overridesCannotTurnOnAutoCommitOrMoveTheGroup() {
    Properties p = StoreConsumer.consumerProperties(options);

    assertThat(p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isEqualTo("false");
    assertThat(p.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("earliest");
    assertThat(p.get(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("auditgate-store");
    assertThat(p.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("20000");
    assertThat(p.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9092");
    assertThat(p.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG))
        .isEqualTo(ByteArrayDeserializer.class.getName());
    // what overrides are for still gets through
    assertThat(p.get("security.protocol")).isEqualTo("SSL");
  }

  @Test
  void aFetchCanFillABatchUnlessTheOverridesSayOtherwise() {
    StoreConsumerOptions plain = StoreConsumerOptions.defaults("broker:9092");
    assertThat(StoreConsumer.consumerProperties(plain).get("max.partition.fetch.bytes"))
        .isEqualTo(Long.toString(20_000L * 1024));
    assertThat(
            StoreConsumer.consumerProperties(plain.withMaxBatchRecords(10))
                .get("max.partition.fetch.bytes"))
        .isEqualTo(Long.toString(1L << 20));
    assertThat(
            StoreConsumer.consumerProperties(
                    plain.withKafkaOverrides(Map.of("max.partition.fetch.bytes", "4096")))
                .get("max.partition.fetch.bytes"))
        .isEqualTo("4096");
  }

  @Test
  void overridesCannotWeakenTheDeadLetterProducer() {
    Properties p = StoreConsumer.producerProperties(options);

    assertThat(p.get(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
    assertThat(p.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo("true");
    assertThat(p.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9092");
    assertThat(p.get(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG))
        .isEqualTo(ByteArraySerializer.class.getName());
    assertThat(p.get("security.protocol")).isEqualTo("SSL");
    assertThat(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo("60000");
    assertThat(p).doesNotContainKeys("group.id", "max.poll.records");
  }
}
