package io.auditgate.pipeline;

import static io.auditgate.pipeline.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.sink.Delivery;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.embedded.EmbeddedKafka;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.KafkaRecordHeaders;
import io.auditgate.wal.SegmentedWal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka sink against a real single-node broker (one for the class), alone and behind the
 * dispatcher over a real log. Each test uses its own topics.
 */
class KafkaSinkTest {
  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @TempDir Path walDir;
  private KafkaTopics topics;
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void startKafka() {
    kafka = EmbeddedKafka.start(kafkaDir.resolve("kafka"));
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @org.junit.jupiter.api.BeforeEach
  void topicsOfThisTest(TestInfo test) {
    String prefix = test.getTestMethod().orElseThrow().getName().substring(0, 20) + "-";
    topics =
        new KafkaTopics(
            prefix + "telemetry.v1",
            prefix + "device-events.v1",
            prefix + "device-firmware-state.v1",
            prefix + "gateway-events.v1");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T resource) {
    toClose.add(resource);
    return resource;
  }

  private KafkaSinkSettings settings() {
    return KafkaSinkSettings.defaults(kafka.bootstrapServers())
        .withTopics(topics)
        .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(2));
  }

  private SegmentedWal openLog() {
    return closing(
        SegmentedWal.open(
            walDir,
            new WalConfig(
                DataSize.ofMebibytes(1), DataSize.ofKibibytes(256), null, null, null, null, null),
            Clock.systemUTC(),
            WalListener.NONE));
  }

  private static long append(SegmentedWal wal, byte type, byte[] body) {
    AppendOutcome outcome = wal.append(type, body);
    return ((AppendOutcome.Accepted) outcome).durable().orTimeout(10, TimeUnit.SECONDS).join();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : HexFormat.of().formatHex(h.value());
  }

  @Test
  void recordsLandInTheirTopicsKeyedWithTheEnvelopeVerbatimAndTheHeaders() throws Exception {
    KafkaSink sink = closing(new KafkaSink(settings()));
    byte[] telemetry = Envelopes.telemetry("dev-1", 41);
    byte[] event = Envelopes.event(EnvelopeSchema.DEVICE_EVENT_V1, "dev-2", 1);
    byte[] firmware = Envelopes.event(EnvelopeSchema.FIRMWARE_UPDATE_V1, "dev-3", 2);
    byte[] gateway = Envelopes.gatewayEvent(GatewayEvent.Kind.UPSTREAM_RESTORED);

    Delivery outcome =
        sink.deliver(
            List.of(
                new WalRecord(4711, RecordTypes.TELEMETRY, 0, telemetry),
                new WalRecord(4712, RecordTypes.DEVICE_EVENT, 0, event),
                new WalRecord(4713, RecordTypes.DEVICE_EVENT, 0, firmware),
                new WalRecord(4714, RecordTypes.GATEWAY_EVENT, 0, gateway)));

    assertThat(outcome).isEqualTo(Delivery.Delivered.all());
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers())) {
      ConsumerRecord<byte[], byte[]> t = single(reader.readAll(topics.telemetry()));
      assertThat(TopicReader.key(t)).isEqualTo("dev-1");
      assertThat(t.value()).isEqualTo(telemetry);
      assertThat(header(t, "auditgate.gateway_id"))
          .isEqualTo(HexFormat.of().formatHex(Envelopes.GATEWAY.getBytes(StandardCharsets.UTF_8)));
      assertThat(header(t, "auditgate.wal_offset")).isEqualTo("0000000000001267"); // 4711
      assertThat(header(t, "auditgate.record_type")).isEqualTo("01");
      assertThat(
              new String(t.headers().lastHeader("traceparent").value(), StandardCharsets.US_ASCII))
          .isEqualTo(
              "00-"
                  + Envelopes.traceId("dev-1", 41)
                  + "-"
                  + KafkaRecordHeaders.spanId(4711)
                  + "-01");

      ConsumerRecord<byte[], byte[]> e = single(reader.readAll(topics.deviceEvents()));
      assertThat(TopicReader.key(e)).isEqualTo("dev-2");
      assertThat(e.value()).isEqualTo(event);
      assertThat(header(e, "auditgate.record_type")).isEqualTo("02");

      ConsumerRecord<byte[], byte[]> f = single(reader.readAll(topics.firmwareState()));
      assertThat(TopicReader.key(f)).isEqualTo("dev-3");
      assertThat(f.value()).isEqualTo(firmware);

      ConsumerRecord<byte[], byte[]> g = single(reader.readAll(topics.gatewayEvents()));
      assertThat(TopicReader.key(g)).isEqualTo(Envelopes.GATEWAY);
      assertThat(g.value()).isEqualTo(gateway);
      assertThat(header(g, "auditgate.record_type")).isEqualTo("03");
      assertThat(header(g, "auditgate.wal_offset")).isEqualTo("000000000000126a");
      assertThat(g.headers().lastHeader("traceparent")).isNull();
    }
    Properties admin = new Properties();
    admin.put("bootstrap.servers", kafka.bootstrapServers());
    try (Admin a = Admin.create(admin)) {
      int partitions =
          a.describeTopics(List.of(topics.telemetry()))
              .allTopicNames()
              .get(10, TimeUnit.SECONDS)
              .get(topics.telemetry())
              .partitions()
              .size();
      assertThat(partitions).as("created by the sink, not auto-created").isEqualTo(6);
    }
  }

  private static ConsumerRecord<byte[], byte[]> single(List<ConsumerRecord<byte[], byte[]>> all) {
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void eachDevicesRecordsStayInLogOrderThroughTheDispatcher() {
    SegmentedWal wal = openLog();
    int devices = 12;
    int perDevice = 150;
    Map<Long, String> deviceOfOffset = new LinkedHashMap<>();
    for (int seq = 0; seq < perDevice; seq++) {
      for (int d = 0; d < devices; d++) {
        String device = "dev-" + d;
        deviceOfOffset.put(
            append(wal, RecordTypes.TELEMETRY, Envelopes.telemetry(device, seq)), device);
      }
    }
    Dispatcher dispatcher =
        closing(
            Dispatcher.start(
                wal,
                List.of(new KafkaSink(settings())),
                Fixtures.FAST,
                Clock.systemUTC(),
                DispatcherListener.NONE));
    int total = devices * perDevice;
    await(
        "everything acknowledged",
        Duration.ofSeconds(30),
        () -> wal.cursor(KafkaSink.NAME).ackedOffset() == total);

    List<ConsumerRecord<byte[], byte[]>> read;
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers())) {
      read = reader.readAll(topics.telemetry());
    }
    assertThat(TopicReader.offsetCounts(read))
        .as("every record exactly once: no outage, so no resend")
        .hasSize(total)
        .allSatisfy((offset, count) -> assertThat(count).isEqualTo(1));
    Map<String, List<Long>> offsetsByDevice =
        read.stream()
            .collect(
                Collectors.groupingBy(
                    TopicReader::key,
                    Collectors.mapping(TopicReader::walOffset, Collectors.toList())));
    assertThat(offsetsByDevice).hasSize(devices);
    offsetsByDevice.forEach(
        (device, offsets) -> {
          assertThat(offsets).as(device).isSorted().hasSize(perDevice);
          assertThat(offsets).allSatisfy(o -> assertThat(deviceOfOffset.get(o)).isEqualTo(device));
        });
    assertThat(dispatcher.metrics(KafkaSink.NAME).deliveredRecords()).isEqualTo(total);
  }

  @Test
  void oversizedAndUnreadableRecordsAreDeadLetteredAndTheStreamGoesOn() {
    SegmentedWal wal = openLog();
    append(wal, RecordTypes.TELEMETRY, Envelopes.telemetry("dev-1", 0));
    String big = "\"" + "x".repeat(20_000) + "\"";
    long oversized =
        append(wal, RecordTypes.TELEMETRY, Envelopes.telemetry("dev-1", 1, Optional.of(big)));
    append(wal, RecordTypes.TELEMETRY, Envelopes.telemetry("dev-1", 2));
    long unreadable =
        append(wal, RecordTypes.TELEMETRY, "not an envelope".getBytes(StandardCharsets.UTF_8));
    append(wal, RecordTypes.TELEMETRY, Envelopes.telemetry("dev-1", 3));

    Dispatcher dispatcher =
        closing(
            Dispatcher.start(
                wal,
                List.of(new KafkaSink(settings().withMaxRequestBytes(16 * 1024))),
                Fixtures.FAST,
                Clock.systemUTC(),
                DispatcherListener.NONE));
    await(
        "everything acknowledged",
        Duration.ofSeconds(30),
        () -> wal.cursor(KafkaSink.NAME).ackedOffset() == 5);

    assertThat(wal.deadLetters())
        .extracting(DeadLetter::walOffset, DeadLetter::reasonCode, DeadLetter::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(oversized, "record_too_large", "kafka"),
            org.assertj.core.groups.Tuple.tuple(unreadable, "unreadable_envelope", "kafka"));
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers())) {
      assertThat(reader.readAll(topics.telemetry()))
          .extracting(TopicReader::walOffset)
          .containsExactly(0L, 2L, 4L);
    }
    SinkMetrics m = dispatcher.metrics(KafkaSink.NAME);
    assertThat(m.deadLetters()).isEqualTo(2);
    assertThat(m.deliveredRecords()).isEqualTo(3);
    assertThat(m.retries()).isZero();
  }

  @Test
  void aBrokerOutageInterruptsDeliveryAndEveryRecordArrivesOnceItReturns() throws Exception {
    SegmentedWal wal = openLog();
    List<String> heard = new CopyOnWriteArrayList<>();
    DispatcherListener listener =
        new DispatcherListener() {
          @Override
          public void upstreamInterrupted(String sink, String reason, Instant at) {
            heard.add("interrupted " + sink);
          }

          @Override
          public void upstreamRestored(String sink, Duration outage, long retries, Instant at) {
            heard.add("restored " + sink);
          }
        };
    DispatcherSettings settings =
        Fixtures.FAST.withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    Dispatcher dispatcher =
        closing(
            Dispatcher.start(
                wal, List.of(new KafkaSink(settings())), settings, Clock.systemUTC(), listener));

    // A steady stream from 8 devices, about 400 records a second, until the test has seen the
    // outage and the recovery: a machine slow to stop or notice cannot run out of records.
    AtomicBoolean keepAppending = new AtomicBoolean(true);
    AtomicLong appended = new AtomicLong();
    Thread producer =
        new Thread(
            () -> {
              for (long i = 0; keepAppending.get(); i++) {
                append(wal, RecordTypes.TELEMETRY, Envelopes.telemetry("dev-" + (i % 8), i / 8));
                appended.set(i + 1);
                if (i % 40 == 39) {
                  try {
                    Thread.sleep(100);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            },
            "test-appender");
    producer.start();
    try {
      await("some delivered", () -> wal.cursor(KafkaSink.NAME).ackedOffset() > 200);
      kafka.stop();
      await(
          "interruption noticed",
          Duration.ofSeconds(30),
          () -> dispatcher.metrics(KafkaSink.NAME).interrupted());
      long backlogDuringOutage = wal.cursor(KafkaSink.NAME).backlogRecords();
      await(
          "the backlog grows while Kafka is away",
          Duration.ofSeconds(30),
          () -> wal.cursor(KafkaSink.NAME).backlogRecords() >= backlogDuringOutage + 200);
      kafka.restart();
      // Records keep coming while the backlog drains; stop once it has caught up with them.
      long appendedAtRestart = appended.get();
      await(
          "the backlog drained with records still coming",
          Duration.ofSeconds(40),
          () -> wal.cursor(KafkaSink.NAME).ackedOffset() >= appendedAtRestart);
    } finally {
      keepAppending.set(false);
      producer.join(30_000);
    }
    long total = appended.get();
    await(
        "everything acknowledged",
        Duration.ofSeconds(40),
        () -> wal.cursor(KafkaSink.NAME).ackedOffset() == total);

    List<ConsumerRecord<byte[], byte[]>> read;
    try (TopicReader reader = new TopicReader(kafka.bootstrapServers())) {
      read = reader.readAll(topics.telemetry());
    }
    Map<Long, Long> counts = TopicReader.offsetCounts(read);
    assertThat(counts.keySet())
        .as("every WAL offset is in Kafka")
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, total).boxed().toList());
    long duplicates = read.size() - counts.size();
    // Resends happen only for batches cut short by the outage; count them rather than hide them.
    System.out.printf(
        "outage test: %d records, %d copies in Kafka, %d duplicates, %d retries%n",
        total, read.size(), duplicates, dispatcher.metrics(KafkaSink.NAME).retries());
    assertThat(duplicates).isLessThan(total / 2);
    // Per device (one partition, in Kafka's order), the last copy of each record is in log order:
    // a resend may repeat records already there, but nothing of a failed attempt lands after the
    // resend that replaced it. A consumer that keeps the last copy sees the log's order.
    Map<String, List<Long>> lastCopies = new LinkedHashMap<>();
    Map<Long, Long> copiesLeft = new HashMap<>(counts);
    for (ConsumerRecord<byte[], byte[]> r : read) {
      long offset = TopicReader.walOffset(r);
      if (copiesLeft.merge(offset, -1L, Long::sum) == 0) {
        lastCopies.computeIfAbsent(TopicReader.key(r), k -> new ArrayList<>()).add(offset);
      }
    }
    assertThat(lastCopies).hasSize(8);
    lastCopies.forEach((device, offsets) -> assertThat(offsets).as(device).isSorted());
    await("restored heard", () -> heard.size() >= 2);
    assertThat(heard).containsExactly("interrupted kafka", "restored kafka");
    SinkMetrics m = dispatcher.metrics(KafkaSink.NAME);
    assertThat(m.retries()).isGreaterThan(0);
    assertThat(m.state()).isInstanceOf(SinkState.Delivering.class);
    assertThat(m.lastInterruption()).hasValueSatisfying(r -> assertThat(r).startsWith("kafka"));
  }
}
