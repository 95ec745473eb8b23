package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.cli.WalCommandTest.Run;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.embedded.EmbeddedKafka;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.KafkaRecordHeaders;
import io.auditgate.wal.SegmentedWal;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auditgate wal replay} against a real in-process Kafka broker. */
class WalReplayTest {
  @TempDir static Path kafkaDir;
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

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

  private static byte[] envelope(int seq) {
    return new EnvelopeCodec()
        .encode(
            new Envelope(
                EnvelopeSchema.TELEMETRY_V1,
                Transport.MQTT,
                new Telemetry(
                    "dev-" + (seq % 3),
                    "gw-replay",
                    OptionalLong.of(seq),
                    Optional.empty(),
                    Instant.parse("2024-05-01T12:00:00Z"),
                    Map.of("temp_c", 20.0 + seq),
                    Map.of(),
                    Optional.empty(),
                    "4bf92f3577b34da6a3ce929d0e0e4736",
                    "devices/dev-" + (seq % 3) + "/telemetry",
                    Telemetry.Format.SEED_JSON)));
  }

  /** 300 records; the kafka cursor acknowledged the first 100; offset 150 is no envelope. */
  private void writeLog() {
    WalConfig config =
        new WalConfig(
            DataSize.ofKibibytes(64), DataSize.ofKibibytes(16), null, null, null, null, null);
    try (SegmentedWal wal = SegmentedWal.open(dir, config, Clock.systemUTC(), WalListener.NONE)) {
      WalCursor cursor = wal.cursor("kafka");
      AppendOutcome last = null;
      for (int i = 0; i < 300; i++) {
        byte[] body = i == 150 ? "garbage".getBytes(StandardCharsets.UTF_8) : envelope(i);
        last = wal.append(RecordTypes.TELEMETRY, body);
      }
      ((AppendOutcome.Accepted) last).durable().join();
      cursor.poll(100, Long.MAX_VALUE);
      cursor.ack(100);
    }
  }

  private static List<Long> offsetsIn(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka.bootstrapServers());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(i -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<Long> offsets = new ArrayList<>();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          offsets.add(
              KafkaRecordHeaders.walOffset(
                  r.headers().lastHeader(KafkaRecordHeaders.WAL_OFFSET).value()));
        }
      }
      return offsets.stream().sorted().toList();
    }
  }

  @Test
  void replaysWhatACursorHasNotAcknowledgedAndReportsRejections() {
    writeLog();

    Run r =
        WalCommandTest.run(
            "wal",
            "replay",
            dir.toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--cursor",
            "kafka",
            "--batch",
            "64");

    assertThat(r.exitCode()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.out())
        .contains("from offset 100 (200 records)")
        .contains("rejected offset 150: unreadable_envelope")
        .contains("done: 199 delivered, 1 rejected, 0 retries");
    List<Long> expected = new ArrayList<>();
    for (long o = 100; o < 300; o++) {
      if (o != 150) {
        expected.add(o);
      }
    }
    assertThat(offsetsIn("telemetry.v1")).isEqualTo(expected);

    // The log was only read: the cursor has not moved, so a replay can be repeated.
    Run again = WalCommandTest.run("wal", "inspect", dir.toString());
    assertThat(again.out()).contains("acked to 100, backlog 200 records");
  }

  @Test
  void anUnreachableKafkaStopsTheReplayAndSaysWhereToResume() throws IOException {
    writeLog();
    String closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = "127.0.0.1:" + socket.getLocalPort();
    }

    Run r =
        WalCommandTest.run(
            "wal",
            "replay",
            dir.toString(),
            "--bootstrap-servers",
            closed,
            "--from",
            "250",
            "--retries",
            "0");

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.out()).contains("resume with --from 250").contains("STOPPED: 0 delivered");
  }

  @Test
  void anUnknownCursorIsAUsageError() {
    writeLog();
    Run r =
        WalCommandTest.run(
            "wal",
            "replay",
            dir.toString(),
            "--bootstrap-servers",
            kafka.bootstrapServers(),
            "--cursor",
            "nope");
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("no cursor named nope").contains("[kafka]");
  }
}
