package io.auditgate.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.wal.SegmentedWal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline against a real write-ahead log on disk. */
class IngestPipelineTest {
  private static final Instant RECEIVED_AT = Instant.parse("2024-05-01T12:00:00Z");
  private static final String BODY =
      "{\"ts\":\"2024-05-01T11:59:59Z\",\"seq\":7,\"metrics\":{\"temp_c\":21.5},"
          + "\"tags\":{\"site\":\"lab\"},\"payload\":{\"door\":\"open\"}}";

  @TempDir Path dir;

  /** Three milliseconds after every message was received: the store latency tests expect. */
  private final Clock clock = Clock.fixed(RECEIVED_AT.plusMillis(3), ZoneOffset.UTC);

  private final AtomicLong traceCounter = new AtomicLong();
  private final TraceIds traceIds = () -> String.format("%032x", traceCounter.incrementAndGet());
  private final ExecutorService deadLetterThread = Executors.newSingleThreadExecutor();
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private SegmentedWal wal;
  private IngestPipeline pipeline;

  private IngestPipeline open(WalConfig config) {
    wal = SegmentedWal.open(dir, config, clock, WalListener.NONE);
    pipeline =
        new IngestPipeline(wal, "gw-1", clock, traceIds, IngestConfig.defaults(), deadLetterThread);
    return pipeline;
  }

  private IngestPipeline open() {
    return open(WalConfig.defaults());
  }

  @AfterEach
  void close() {
    if (wal != null) {
      wal.close();
    }
    deadLetterThread.shutdownNow();
  }

  // ------------------------------------------------------------------ requests

  private static DeviceIdentity device(String id) {
    return new DeviceIdentity(id, DeviceIdentity.Method.PASSWORD, Optional.empty());
  }

  private static IngestRequest request(
      DeviceIdentity identity, Transport transport, String topic, String body) {
    return request(identity, transport, topic, body.getBytes(StandardCharsets.UTF_8));
  }

  private static IngestRequest request(
      DeviceIdentity identity, Transport transport, String topic, byte[] body) {
    return new IngestRequest(identity, transport, topic, body, RECEIVED_AT, Optional.empty());
  }

  private static IngestRequest mqtt(String topic, String body) {
    return request(device("dev-1"), Transport.MQTT, topic, body);
  }

  private static IngestRequest telemetry(String body) {
    return mqtt("devices/dev-1/telemetry", body);
  }

  /** The pipeline's answer, waited for a bounded time. */
  private IngestResult ingest(IngestRequest request) {
    try {
      return pipeline.ingest(request).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("ingest did not answer: " + e, e);
    }
  }

  private <T extends IngestResult> T ingest(IngestRequest request, Class<T> expected) {
    IngestResult result = ingest(request);
    assertThat(result).isInstanceOf(expected);
    return expected.cast(result);
  }

  private List<WalRecord> logged() {
    WalCursor cursor = wal.cursor("test");
    cursor.rewind();
    return cursor.poll(10_000, Long.MAX_VALUE);
  }

  // ------------------------------------------------------------------ stored

  @Test
  void aStoredMessageIsDurableAndTheLogHoldsExactlyItsEnvelope() {
    open();

    IngestResult.Stored stored = ingest(telemetry(BODY), IngestResult.Stored.class);

    assertThat(stored.walOffset()).isZero();
    assertThat(wal.durableEndOffset()).as("durable before Stored").isEqualTo(1);
    List<WalRecord> records = logged();
    assertThat(records).hasSize(1);
    assertThat(records.get(0).type()).isEqualTo(RecordTypes.TELEMETRY);
    assertThat(new String(records.get(0).body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"schema\":\"telemetry.v1\",\"source_topic\":\"devices/dev-1/telemetry\","
                + "\"device_id\":\"dev-1\",\"gateway_id\":\"gw-1\",\"seq\":7,"
                + "\"trace_id\":\"00000000000000000000000000000001\","
                + "\"received_at\":\"2024-05-01T12:00:00Z\","
                + "\"device_time\":\"2024-05-01T11:59:59Z\",\"metrics\":{\"temp_c\":21.5},"
                + "\"tags\":{\"site\":\"lab\"},\"payload\":{\"door\":\"open\"},"
                + "\"transport\":\"mqtt\",\"format\":\"seed_json\"}");
    assertThat(codec.decode(records.get(0).body()))
        .isEqualTo(new Envelope(EnvelopeSchema.TELEMETRY_V1, Transport.MQTT, stored.telemetry()));
    assertThat(wal.deadLetters()).isEmpty();
  }

  @Test
  void storingCountsAndTracksTheDevice() {
    open();

    IngestResult.Stored stored = ingest(telemetry(BODY), IngestResult.Stored.class);

    IngestMetrics.Snapshot metrics = pipeline.metrics();
    assertThat(metrics.stored()).isEqualTo(1);
    assertThat(metrics.rejectedTotal()).isZero();
    assertThat(metrics.busy()).isZero();
    assertThat(metrics.receivedBytes()).isEqualTo(BODY.length());
    assertThat(metrics.storedBytes())
        .isEqualTo(
            codec.encode(
                    new Envelope(EnvelopeSchema.TELEMETRY_V1, Transport.MQTT, stored.telemetry()))
                .length);
    assertThat(metrics.storeMicros().count()).isEqualTo(1);
    assertThat(metrics.storeMicros().sum()).isEqualTo(3_000);
    DeviceSequence dev1 = pipeline.sequences().device("dev-1").orElseThrow();
    assertThat(dev1.highestSeq()).hasValue(7);
    assertThat(dev1.lastClockSkew()).contains(Duration.ofSeconds(1));
  }

  @Test
  void anIncomingTraceIdIsKeptAndAMalformedOneReplaced() {
    open();
    String traceparent = "0af7651916cd43dd8448eb211c80319c";
    IngestRequest traced = telemetry(BODY);
    IngestRequest withTrace =
        new IngestRequest(
            traced.identity(),
            traced.transport(),
            traced.sourceTopic(),
            traced.body(),
            traced.receivedAt(),
            Optional.of(traceparent));
    IngestRequest withBadTrace =
        new IngestRequest(
            traced.identity(),
            traced.transport(),
            traced.sourceTopic(),
            traced.body(),
            traced.receivedAt(),
            Optional.of("0".repeat(32)));

    assertThat(ingest(withTrace, IngestResult.Stored.class).telemetry().traceId())
        .isEqualTo(traceparent);
    assertThat(ingest(withBadTrace, IngestResult.Stored.class).telemetry().traceId())
        .isEqualTo("00000000000000000000000000000001");
  }

  @Test
  void httpTakesSenmlOnItsOwnPath() {
    open();
    String pack = "[{\"bn\":\"urn:dev:id:dev-1:\",\"n\":\"temp\",\"u\":\"Cel\",\"v\":22.5}]";

    IngestResult.Stored stored =
        ingest(
            request(device("dev-1"), Transport.HTTP, "/v1/ingest/dev-1", pack),
            IngestResult.Stored.class);

    assertThat(stored.telemetry().metrics()).isEqualTo(Map.of("temp", 22.5));
    assertThat(stored.telemetry().format()).isEqualTo(Telemetry.Format.SENML_JSON);
    Envelope logged = codec.decode(logged().get(0).body());
    assertThat(logged.transport()).isEqualTo(Transport.HTTP);
    assertThat(logged.telemetry().payload()).contains(pack);
  }

  @Test
  void anAnonymousClientPublishesAsTheDeviceItsTopicNames() {
    open();
    DeviceIdentity anonymous =
        new DeviceIdentity("", DeviceIdentity.Method.ANONYMOUS, Optional.empty());

    IngestResult.Stored stored =
        ingest(
            request(anonymous, Transport.MQTT, "devices/sensor-9/telemetry", BODY),
            IngestResult.Stored.class);

    assertThat(stored.telemetry().deviceId()).isEqualTo("sensor-9");
  }

  @Test
  void eventsAndFirmwareStateAreStoredWholeAsDeviceEvents() {
    open();
    String firmware =
        "{\"device_id\":\"dev-1\",\"firmware_version\":\"1.2.0\",\"ota_status\":\"installed\"}";

    IngestResult.Stored event =
        ingest(mqtt("devices/dev-1/events", "{\"kind\":\"boot\"}"), IngestResult.Stored.class);
    IngestResult.Stored state =
        ingest(mqtt("devices/dev-1/firmware/state", firmware), IngestResult.Stored.class);

    assertThat(event.telemetry().format()).isEqualTo(Telemetry.Format.EVENT_JSON);
    assertThat(state.telemetry().payload()).contains(firmware);
    List<WalRecord> records = logged();
    assertThat(records).extracting(WalRecord::type).containsOnly(RecordTypes.DEVICE_EVENT);
    assertThat(codec.decode(records.get(0).body()).schema())
        .isEqualTo(EnvelopeSchema.DEVICE_EVENT_V1);
    assertThat(codec.decode(records.get(1).body()).schema())
        .isEqualTo(EnvelopeSchema.FIRMWARE_UPDATE_V1);
    assertThat(new String(records.get(1).body(), StandardCharsets.UTF_8))
        .contains("\"schema\":\"firmware_update.v1\"")
        .contains("\"payload\":" + firmware);
    assertThat(pipeline.sequences().trackedDevices()).as("events carry no seq").isZero();

    Rejected notAnObject = rejected(mqtt("devices/dev-1/events", "[1,2]"));
    assertThat(notAnObject.reason()).isEqualTo(Reason.INVALID_JSON);
  }

  // ------------------------------------------------------------------ rejected

  private record Rejected(Reason reason, String message, DeadLetter deadLetter) {}

  /** Ingests, expects a rejection, and finds its dead letter. */
  private Rejected rejected(IngestRequest request) {
    IngestResult.Rejected rejected = ingest(request, IngestResult.Rejected.class);
    DeadLetter dead =
        wal.deadLetters().stream()
            .filter(d -> d.sequence() == rejected.deadLetterSequence())
            .findFirst()
            .orElseThrow(() -> new AssertionError("no dead letter for " + rejected));
    return new Rejected(rejected.reason(), rejected.message(), dead);
  }

  @Test
  void aRejectedBodyIsKeptInTheDeadLetterLogWithItsReason() {
    open();
    String body = "{\"metrics\":{\"temp\":\"warm\"}}";

    Rejected rejected = rejected(telemetry(body));

    assertThat(rejected.reason()).isEqualTo(Reason.INVALID_FIELD);
    assertThat(rejected.message()).isEqualTo("metric 'temp' must be a number, got string \"warm\"");
    DeadLetter dead = rejected.deadLetter();
    assertThat(dead.source()).isEqualTo("mqtt");
    assertThat(dead.reasonCode()).isEqualTo("invalid_field");
    assertThat(dead.walOffset()).isEqualTo(-1);
    assertThat(dead.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8));
    assertThat(dead.detail())
        .isEqualTo(
            "metric 'temp' must be a number, got string \"warm\""
                + " [topic devices/dev-1/telemetry, identity dev-1 by password]");
    assertThat(dead.deadAtMillis()).isEqualTo(clock.millis());
    assertThat(logged()).as("nothing entered the log").isEmpty();
    assertThat(pipeline.metrics().rejected(Reason.INVALID_FIELD)).isEqualTo(1);
    assertThat(pipeline.metrics().stored()).isZero();
  }

  @Test
  void aDevicePublishingUnderAnotherDevicesIdIsRefused() {
    open();

    Rejected rejected =
        rejected(request(device("dev-2"), Transport.MQTT, "devices/dev-1/telemetry", BODY));

    assertThat(rejected.reason()).isEqualTo(Reason.WRONG_DEVICE);
    assertThat(rejected.message())
        .isEqualTo("the topic names device dev-1, but the client authenticated as dev-2");
    assertThat(rejected.deadLetter().reasonCode()).isEqualTo("wrong_device");
    assertThat(logged()).isEmpty();
  }

  @Test
  void topicsOutsideTheContractAreRefused() {
    open();
    List<IngestRequest> unknown =
        List.of(
            mqtt("devices/dev-1/telemetry/extra", BODY),
            mqtt("devices/dev-1/commands/reboot", BODY),
            mqtt("devices//telemetry", BODY),
            mqtt("/v1/ingest/dev-1", BODY),
            request(device("dev-1"), Transport.HTTP, "devices/dev-1/telemetry", BODY),
            request(device("dev-1"), Transport.HTTP, "/v1/ingest/dev-1?x=1", BODY),
            request(device("dev 1"), Transport.HTTP, "/v1/ingest/dev 1", BODY));

    for (IngestRequest request : unknown) {
      Rejected rejected = rejected(request);
      assertThat(rejected.reason()).as(request.sourceTopic()).isEqualTo(Reason.UNKNOWN_TOPIC);
      assertThat(rejected.deadLetter().detail()).contains(request.sourceTopic());
    }
    assertThat(rejected(mqtt("x/y", BODY)).message())
        .isEqualTo(
            "'x/y' is not a topic devices publish to over mqtt"
                + " (devices/{deviceId}/telemetry, /events or /firmware/state)");
  }

  @Test
  void anOversizedBodyIsRefusedAndOnlyItsFirst64KibKept() {
    open();
    byte[] body = new byte[100_000];
    Arrays.fill(body, (byte) ' ');

    Rejected rejected =
        rejected(request(device("dev-1"), Transport.HTTP, "/v1/ingest/dev-1", body));

    assertThat(rejected.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
    assertThat(rejected.deadLetter().body()).hasSize(65_536);
    assertThat(rejected.deadLetter().detail())
        .endsWith("body cut to its first 65536 of 100000 bytes]");
  }

  @Test
  void anEnvelopeTooLargeForTheLogIsRefusedNotRetried() {
    open(
        new WalConfig(
            DataSize.ofKibibytes(4),
            DataSize.ofBytes(512),
            null,
            null,
            DataSize.ofMebibytes(1),
            null,
            null));
    String body = "{\"metrics\":{},\"payload\":\"" + "x".repeat(600) + "\"}";

    Rejected rejected = rejected(telemetry(body));

    assertThat(rejected.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
    assertThat(rejected.message()).contains("wal.max_record_size");
  }

  /** One message whose body gets each reason code; a new code fails here until it has one. */
  private static Map<Reason, IngestRequest> oneRequestPerReason() {
    Map<Reason, IngestRequest> examples = new EnumMap<>(Reason.class);
    examples.put(Reason.INVALID_JSON, telemetry("{\"metrics\":"));
    examples.put(Reason.INVALID_SENML, telemetry("[{\"n\":\"x\"}]"));
    examples.put(Reason.INVALID_FIELD, telemetry("{\"metrics\":{},\"extra\":1}"));
    examples.put(
        Reason.TOO_MANY_METRICS,
        telemetry(
            "{\"metrics\":{"
                + IntStream.range(0, 33)
                    .mapToObj(i -> "\"m" + i + "\":1")
                    .collect(Collectors.joining(","))
                + "}}"));
    examples.put(
        Reason.TOO_MANY_TAGS,
        telemetry(
            "{\"metrics\":{},\"tags\":{"
                + IntStream.range(0, 17)
                    .mapToObj(i -> "\"t" + i + "\":\"x\"")
                    .collect(Collectors.joining(","))
                + "}}"));
    examples.put(Reason.NON_FINITE_METRIC, telemetry("{\"metrics\":{\"t\":NaN}}"));
    examples.put(Reason.INVALID_TIMESTAMP, telemetry("{\"ts\":\"today\",\"metrics\":{}}"));
    examples.put(
        Reason.PAYLOAD_TOO_LARGE,
        request(device("dev-1"), Transport.MQTT, "devices/dev-1/telemetry", new byte[70_000]));
    examples.put(
        Reason.WRONG_DEVICE,
        request(device("dev-2"), Transport.MQTT, "devices/dev-1/telemetry", BODY));
    examples.put(Reason.UNKNOWN_TOPIC, mqtt("devices/dev-1/telemetry/x", BODY));
    return examples;
  }

  @Test
  void everyReasonCodeIsReachableAndCountedOnce() {
    open();
    Map<Reason, IngestRequest> examples = oneRequestPerReason();

    for (Reason reason : Reason.values()) {
      assertThat(examples).as("an example for " + reason).containsKey(reason);
      assertThat(rejected(examples.get(reason)).reason()).isEqualTo(reason);
    }

    assertThat(wal.deadLetters())
        .extracting(DeadLetter::reasonCode)
        .containsExactly(Arrays.stream(Reason.values()).map(Reason::code).toArray(String[]::new));
    IngestMetrics.Snapshot metrics = pipeline.metrics();
    for (Reason reason : Reason.values()) {
      assertThat(metrics.rejected(reason)).as(reason.code()).isEqualTo(1);
    }
    assertThat(logged()).isEmpty();
  }

  // ------------------------------------------------------------------ busy

  @Test
  void aFullLogMakesTheDeviceWaitAndTakesMessagesAgainOnceDrained() {
    open(
        new WalConfig(
            DataSize.ofKibibytes(4),
            DataSize.ofBytes(1024),
            null,
            null,
            DataSize.ofKibibytes(8),
            null,
            WalConfig.OverflowPolicy.REFUSE));
    WalCursor sink = wal.cursor("kafka");

    IngestResult result;
    int stored = 0;
    while ((result = ingest(telemetry(BODY))) instanceof IngestResult.Stored) {
      stored++;
      assertThat(stored).as("8KiB holds a few dozen envelopes, not hundreds").isLessThan(200);
    }

    assertThat(result).isInstanceOf(IngestResult.Busy.class);
    IngestResult.Busy busy = (IngestResult.Busy) result;
    assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(busy.message()).contains("wal.max_total_size");
    assertThat(stored).isGreaterThan(10);
    assertThat(wal.deadLetters()).as("a busy answer is not a refusal").isEmpty();
    assertThat(pipeline.metrics().busy()).isEqualTo(1);

    sink.ack(sink.poll(10_000, Long.MAX_VALUE).size());

    assertThat(ingest(telemetry(BODY))).isInstanceOf(IngestResult.Stored.class);
  }

  @Test
  void aClosedLogMakesTheDeviceWaitLonger() {
    open().ingest(telemetry(BODY)).toCompletableFuture().join();
    wal.close();

    IngestResult.Busy stored = ingest(telemetry(BODY), IngestResult.Busy.class);
    IngestResult.Busy refused = ingest(telemetry("{}"), IngestResult.Busy.class);

    assertThat(stored.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(stored.message()).isEqualTo("write-ahead log is closed");
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(refused.message()).contains("cannot record why it refuses this message");
    assertThat(pipeline.metrics().busy()).isEqualTo(2);
    assertThat(pipeline.metrics().rejectedTotal()).as("no refusal went unrecorded").isZero();
  }

  @Test
  void aFailedForceOrDeadLetterWriteIsBusyNeverStoredOrRejected() {
    pipeline =
        new IngestPipeline(
            new FailingWal(), "gw-1", clock, traceIds, IngestConfig.defaults(), deadLetterThread);

    IngestResult.Busy notDurable = ingest(telemetry(BODY), IngestResult.Busy.class);
    IngestResult.Busy notRecorded = ingest(telemetry("[]"), IngestResult.Busy.class);

    assertThat(notDurable.message())
        .isEqualTo("the log could not make the message durable: force failed: Input/output error");
    assertThat(notDurable.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThat(notRecorded.message()).contains("(invalid_senml)");
    assertThat(pipeline.metrics().stored()).isZero();
    assertThat(pipeline.sequences().trackedDevices()).isZero();
  }

  @Test
  void aDeadLetterQueueThatIsFullMakesTheDeviceWait() {
    open();
    pipeline =
        new IngestPipeline(
            wal,
            "gw-1",
            clock,
            traceIds,
            IngestConfig.defaults(),
            task -> {
              throw new java.util.concurrent.RejectedExecutionException("queue full");
            });

    IngestResult.Busy busy = ingest(telemetry("{}"), IngestResult.Busy.class);

    assertThat(busy.retryAfter()).isEqualTo(Duration.ofSeconds(1));
    assertThat(wal.deadLetters()).isEmpty();
  }

  // ------------------------------------------------------------------ concurrency

  @Test
  void concurrentTransportsEachGetTheirOwnDurableOffset() throws Exception {
    open();
    int threads = 4;
    int perThread = 100;
    ExecutorService transports = Executors.newFixedThreadPool(threads);
    List<CompletableFuture<IngestResult>> answers = new ArrayList<>();
    try {
      List<CompletableFuture<List<CompletableFuture<IngestResult>>>> started = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String device = "dev-" + t;
        started.add(
            CompletableFuture.supplyAsync(
                () ->
                    IntStream.range(0, perThread)
                        .mapToObj(
                            seq ->
                                pipeline
                                    .ingest(
                                        request(
                                            device(device),
                                            Transport.MQTT,
                                            "devices/" + device + "/telemetry",
                                            "{\"seq\":" + seq + ",\"metrics\":{\"x\":1}}"))
                                    .toCompletableFuture())
                        .toList(),
                transports));
      }
      for (CompletableFuture<List<CompletableFuture<IngestResult>>> s : started) {
        answers.addAll(s.get(10, TimeUnit.SECONDS));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } finally {
      transports.shutdownNow();
    }

    Set<Long> offsets = new HashSet<>();
    for (CompletableFuture<IngestResult> answer : answers) {
      offsets.add(((IngestResult.Stored) answer.join()).walOffset());
    }
    assertThat(offsets).hasSize(threads * perThread).allMatch(o -> o >= 0 && o < 400);
    assertThat(logged()).hasSize(threads * perThread);
    for (int t = 0; t < threads; t++) {
      DeviceSequence d = pipeline.sequences().device("dev-" + t).orElseThrow();
      assertThat(d.messages()).isEqualTo(perThread);
      assertThat(d.duplicates()).isZero();
    }
  }
}
