package io.auditgate.pipeline;

import io.auditgate.envelope.KafkaRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a whole topic from the beginning to its current end, without a consumer group. */
final class TopicReader implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;

  TopicReader(String bootstrapServers) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrapServers);
    p.put("enable.auto.commit", "false");
    p.put("isolation.level", "read_committed");
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Every record of {@code topic} up to the end it has now, in partition then offset order. */
  List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(10));
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("could not read " + topic + " to its end " + end);
      }
      consumer.poll(Duration.ofMillis(200)).forEach(out::add);
    }
    return out;
  }

  static long walOffset(ConsumerRecord<byte[], byte[]> r) {
    return KafkaRecordHeaders.walOffset(
        r.headers().lastHeader(KafkaRecordHeaders.WAL_OFFSET).value());
  }

  static String key(ConsumerRecord<byte[], byte[]> r) {
    return new String(r.key(), StandardCharsets.UTF_8);
  }

  /** WAL offsets in the topic with how often each occurs. */
  static Map<Long, Long> offsetCounts(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .collect(Collectors.groupingBy(TopicReader::walOffset, Collectors.counting()));
  }

  @Override
  public void close() {
    consumer.close();
  }
}
