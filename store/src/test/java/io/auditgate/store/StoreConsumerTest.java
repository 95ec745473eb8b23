package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.embedded.EmbeddedKafka;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.KafkaRecordHeaders;
import io.auditgate.store.StoreSchema.Flavor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real Kafka broker (in-process KRaft) and a real PostgreSQL. */
class StoreConsumerTest {
  private static final AtomicInteger names = new AtomicInteger();
  @TempDir static Path dir;
  private static EmbeddedKafka kafka;
  private static KafkaProducer<byte[], byte[]> producer;

  private final String suffix = "c" + names.incrementAndGet();
  private final String telemetryTopic = "telemetry-" + suffix;
  private final String eventsTopic = "gateway-events-" + suffix;
  private final String dlqTopic = "dlq-" + suffix;

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"));
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer = new KafkaProducer<>(p);
  }

  @AfterAll
  static void stopKafka() {
    producer.close();
    kafka.close();
  }

  /**
   * Topics exist before any member subscribes, as in a deployment: a member that subscribed to a
   * topic before it existed would only see it at its next metadata refresh (5 minutes).
   */
  @BeforeEach
  void createTopics() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(telemetryTopic, 3, (short) 1),
                  new NewTopic(eventsTopic, 1, (short) 1),
                  new NewTopic(dlqTopic, 1, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private StoreConsumerOptions options() {
    return new StoreConsumerOptions(
        kafka.bootstrapServers(),
        "group-" + suffix,
        List.of(telemetryTopic, eventsTopic),
        eventsTopic,
        dlqTopic,
        200,
        Duration.ofMillis(100),
        Duration.ofMillis(50),
        Duration.ofMillis(500),
        Map.of());
  }

  /** Publishes as the gateway's Kafka sink does: value = body, headers = key and type. */
  private void publish(String topic, StoreRecord r, String key) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), r.body());
    record
        .headers()
        .add(
            new RecordHeader(
                KafkaRecordHeaders.GATEWAY_ID, KafkaRecordHeaders.gatewayId(r.gatewayId())));
    record
        .headers()
        .add(
            new RecordHeader(
                KafkaRecordHeaders.WAL_OFFSET, KafkaRecordHeaders.walOffset(r.walOffset())));
    record
        .headers()
        .add(new RecordHeader(KafkaRecordHeaders.RECORD_TYPE, new byte[] {r.recordType()}));
    producer.send(record);
  }

  /** {@code count} telemetry records over 5 devices, offsets and seqs from {@code from}. */
  private void publishTelemetry(long from, int count) {
    for (long i = from; i < from + count; i++) {
      String device = "dev-" + (i % 5);
      publish(telemetryTopic, Records.withSeq("gw-1", i, device, i, T0.plusMillis(i)), device);
    }
    producer.flush();
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition) {
    long until = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static long seqsStored(StoreQueries q) {
    return q.messageCountsByDevice().values().stream().mapToLong(c -> c.distinctSeqs()).sum();
  }

  @Test
  void storesWhatItPollsAndCommitsTheOffsets() {
    StoreOptions db = TestStore.migratedDatabase();
    StoreQueries queries = new StoreQueries(db);
    publishTelemetry(0, 500);
    publish(eventsTopic, Records.gatewayEvent("gw-1", 500, GatewayEvent.Kind.STARTED, T0), "gw-1");
    producer.flush();

    try (StoreConsumer member =
        new StoreConsumer(options(), new StoreWriter(db, Flavor.POSTGRES))) {
      member.start();
      await("all stored", Duration.ofSeconds(30), () -> member.metrics().stored() == 501);
      await(
          "lag known and zero",
          Duration.ofSeconds(10),
          () -> member.metrics().lag().equals(OptionalLong.of(0)));

      StoreConsumerMetrics m = member.metrics();
      assertThat(m.duplicates()).isZero();
      assertThat(m.poison()).isZero();
      assertThat(m.batches()).isPositive();
    }
    assertThat(queries.messageCount()).isEqualTo(500);
    assertThat(queries.pointCount()).isEqualTo(1000);
    assertThat(queries.gatewayEvents("gw-1", 10)).hasSize(1);

    // A new member of the same group starts after the committed offsets: nothing is read again.
    try (StoreConsumer again = new StoreConsumer(options(), new StoreWriter(db, Flavor.POSTGRES))) {
      again.start();
      publishTelemetry(500, 10);
      await("the new ones stored", Duration.ofSeconds(30), () -> again.metrics().stored() == 10);
      assertThat(again.metrics().duplicates()).isZero();
    }
  }

  @Test
  void aMemberClosedMidwayIsReplacedWithoutLossOrDuplicates() {
    StoreOptions db = TestStore.migratedDatabase();
    StoreQueries queries = new StoreQueries(db);
    // What a member that crashed after its database commit and before its offset commit leaves:
    // rows stored, offsets not moved. They are read again and recognised.
    try (StoreWriter w = new StoreWriter(db, Flavor.POSTGRES)) {
      List<StoreRecord> alreadyStored = new ArrayList<>();
      for (long i = 0; i < 100; i++) {
        alreadyStored.add(Records.withSeq("gw-1", i, "dev-" + (i % 5), i, T0.plusMillis(i)));
      }
      w.write(alreadyStored);
    }
    publishTelemetry(0, 1500);

    StoreConsumer first = new StoreConsumer(options(), new StoreWriter(db, Flavor.POSTGRES));
    first.start();
    await("some stored", Duration.ofSeconds(30), () -> first.metrics().stored() >= 300);
    first.close();
    long byFirst = first.metrics().stored();

    try (StoreConsumer second =
        new StoreConsumer(options(), new StoreWriter(db, Flavor.POSTGRES))) {
      second.start();
      await(
          "all stored", Duration.ofSeconds(30), () -> byFirst + second.metrics().stored() == 1400);
      await(
          "caught up",
          Duration.ofSeconds(30),
          () -> second.metrics().lag().equals(OptionalLong.of(0)));
      assertThat(first.metrics().duplicates() + second.metrics().duplicates())
          .isGreaterThanOrEqualTo(100);
    }
    assertThat(seqsStored(queries)).isEqualTo(1500);
    assertThat(queries.messageCount()).isEqualTo(1500);
    assertThat(queries.duplicateMessages()).isZero();
  }

  @Test
  void retriesWhilePostgresIsDownAndLosesNothing() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("pg-outage"))) {
      StoreOptions db =
          TestStore.database(postgres, "outage")
              .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5));
      StoreSchema.migrate(db);
      StoreQueries queries = new StoreQueries(db);
      try (StoreConsumer member =
          new StoreConsumer(options(), new StoreWriter(db, Flavor.POSTGRES))) {
        member.start();
        publishTelemetry(0, 200);
        await("first part stored", Duration.ofSeconds(30), () -> member.metrics().stored() == 200);

        postgres.stop();
        publishTelemetry(200, 300);
        await("a retry", Duration.ofSeconds(30), () -> member.metrics().retries() >= 2);
        assertThat(member.metrics().lastError())
            .hasValueSatisfying(e -> assertThat(e).contains("store"));

        postgres.start();
        await("everything stored", Duration.ofSeconds(30), () -> member.metrics().stored() == 500);
      }
      assertThat(queries.messageCount()).isEqualTo(500);
      assertThat(queries.duplicateMessages()).isZero();
    }
  }

  /**
   * A Kafka consumer that fails once on request: its poll with a KafkaException, its commit with an
   * IllegalStateException (what a seek or commit on a partition just revoked throws).
   */
  private static final class Flaky extends KafkaConsumer<byte[], byte[]> {
    private final AtomicBoolean failPoll;
    private final AtomicBoolean failCommit;

    Flaky(Properties p, AtomicBoolean failPoll, AtomicBoolean failCommit) {
      super(p);
      this.failPoll = failPoll;
      this.failCommit = failCommit;
    }

    @Override
    public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
      if (failPoll.getAndSet(false)) {
        throw new KafkaException("poll broken on purpose");
      }
      return super.poll(timeout);
    }

    @Override
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
      if (failCommit.getAndSet(false)) {
        throw new IllegalStateException("commit broken on purpose");
      }
      super.commitSync(offsets);
    }
  }

  @Test
  void anUnexpectedFailureRestartsTheKafkaConsumerAndStoringGoesOn() {
    StoreOptions db = TestStore.migratedDatabase();
    StoreQueries queries = new StoreQueries(db);
    AtomicBoolean failPoll = new AtomicBoolean();
    AtomicBoolean failCommit = new AtomicBoolean();
    AtomicInteger consumersCreated = new AtomicInteger();

    try (StoreConsumer member =
        new StoreConsumer(
            options(),
            new StoreWriter(db, Flavor.POSTGRES),
            p -> {
              consumersCreated.incrementAndGet();
              return new Flaky(p, failPoll, failCommit);
            })) {
      member.start();
      publishTelemetry(0, 100);
      await("first part stored", Duration.ofSeconds(30), () -> member.metrics().stored() == 100);

      failPoll.set(true);
      await("a restart", Duration.ofSeconds(30), () -> member.metrics().restarts() == 1);
      assertThat(member.metrics().lastError())
          .hasValueSatisfying(e -> assertThat(e).contains("poll broken on purpose"));
      publishTelemetry(100, 100);
      await("second part stored", Duration.ofSeconds(30), () -> member.metrics().stored() == 200);

      // The database holds the batch, its offsets are not committed: the new consumer reads it
      // again and it is recognised.
      failCommit.set(true);
      publishTelemetry(200, 100);
      await("second restart", Duration.ofSeconds(30), () -> member.metrics().restarts() == 2);
      publishTelemetry(300, 100);
      await("everything stored", Duration.ofSeconds(30), () -> member.metrics().stored() == 400);
      await(
          "caught up",
          Duration.ofSeconds(30),
          () -> member.metrics().lag().equals(OptionalLong.of(0)));

      StoreConsumerMetrics m = member.metrics();
      assertThat(m.alive()).isTrue();
      assertThat(m.duplicates()).isPositive();
      assertThat(consumersCreated).hasValue(3);
    }
    assertThat(queries.messageCount()).isEqualTo(400);
    assertThat(seqsStored(queries)).isEqualTo(400);
    assertThat(queries.duplicateMessages()).isZero();
  }

  @Test
  void closeStopsTheMember() {
    StoreConsumer member =
        new StoreConsumer(
            options(), new StoreWriter(TestStore.migratedDatabase(), Flavor.POSTGRES));
    assertThat(member.metrics().alive()).isFalse();
    member.start();
    assertThat(member.metrics().alive()).isTrue();
    member.close();
    await("stopped", Duration.ofSeconds(10), () -> !member.metrics().alive());
    assertThat(member.metrics().restarts()).isZero();
  }

  @Test
  void poisonGoesToTheDeadLetterTopicWithItsReasonAndTheRestFlows() {
    StoreOptions db = TestStore.migratedDatabase();
    publishTelemetry(0, 10);
    publish(telemetryTopic, Records.garbage("gw-1", 10), "dev-x");
    ProducerRecord<byte[], byte[]> noHeaders =
        new ProducerRecord<>(telemetryTopic, Records.withSeq("gw-1", 11, "dev-y", 1, T0).body());
    producer.send(noHeaders);
    publishTelemetry(12, 10);

    try (StoreConsumer member =
        new StoreConsumer(options(), new StoreWriter(db, Flavor.POSTGRES))) {
      member.start();
      await(
          "all handled",
          Duration.ofSeconds(30),
          () -> member.metrics().stored() == 20 && member.metrics().poison() == 2);
    }

    List<ConsumerRecord<byte[], byte[]>> letters = readAll(dlqTopic, 2);
    assertThat(letters)
        .extracting(r -> dlqHeader(r, StoreConsumer.DLQ_REASON))
        .containsExactlyInAnyOrder("unreadable_envelope", "missing_header");
    assertThat(letters)
        .allSatisfy(
            r ->
                assertThat(dlqHeader(r, StoreConsumer.DLQ_SOURCE))
                    .startsWith(telemetryTopic + "-"));
    assertThat(new StoreQueries(db).messageCount()).isEqualTo(20);
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
      c.subscribe(List.of(topic));
      long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (out.size() < expected && System.nanoTime() < until) {
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  private static String dlqHeader(ConsumerRecord<?, ?> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
