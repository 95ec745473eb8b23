package io.auditgate.ingest.pipeline;

import io.auditgate.core.config.IngestConfig;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.WalException;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.ingest.payload.Decoding;
import io.auditgate.ingest.payload.MessageContext;
import io.auditgate.ingest.payload.PayloadDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link TelemetryIngest}: every transport's messages go through here, in this order.
 *
 * <ol>
 *   <li><b>Topic.</b> The MQTT topic or HTTP path must be one of the contract's ({@link
 *       SourceTopic}); otherwise {@code unknown_topic}.
 *   <li><b>Device.</b> A device publishes only under its own id: the id the topic names must be the
 *       authenticated identity's, otherwise {@code wrong_device}. An {@link
 *       DeviceIdentity.Method#ANONYMOUS anonymous} client has proven no id, so the topic's is the
 *       only one there is and it is taken as given; that is what {@code auth.required: false}
 *       means, and why the audit flags it.
 *   <li><b>Body.</b> Telemetry topics are decoded by {@link PayloadDecoder#decodeTelemetry}, event
 *       and firmware topics by {@link PayloadDecoder#decodeEvent}.
 *   <li><b>Log.</b> The {@link EnvelopeCodec envelope} is appended with its schema's record type.
 *       {@code Stored} completes once the record is durable, never before.
 * </ol>
 *
 * <p>Every refusal is written to the dead-letter log (source = the transport, lower-case; reason =
 * the code; detail = the message plus topic, identity and incoming trace id; body = the bytes, cut
 * at {@code max_body_size}) before {@code Rejected} completes, so no refusal goes unrecorded.
 *
 * <p>{@code Busy} is the answer when the log cannot take a message now, with {@code retryAfter}:
 * {@code retry_after_full} (default 1 s) when it is full or too old, since sinks drain it
 * continuously; {@code retry_after_failure} (default 5 s) when it failed or is closed, or a durable
 * write or the dead-letter write failed, since that needs a restart or an operator. A record too
 * large for {@code wal.max_record_size} is {@code payload_too_large}: resending cannot help.
 *
 * <p>Thread-safe; {@link #ingest} never blocks. Stored and busy answers complete on the log's
 * completer thread (or the caller's, when known at once); rejections on the dead-letter executor.
 * Each stored telemetry message also updates {@link #sequences()}.
 */
public final class IngestPipeline implements TelemetryIngest {
  private static final Logger log = LoggerFactory.getLogger(IngestPipeline.class);

  private final WriteAheadLog wal;
  private final String gatewayId;
  private final Clock clock;
  private final TraceIds traceIds;
  private final IngestConfig config;
  private final Executor deadLetterExecutor;
  private final int maxBodyBytes;
  private final PayloadDecoder decoder;
  private final EnvelopeCodec codec = new EnvelopeCodec();
  private final IngestMetrics metrics = new IngestMetrics();
  private final SeqTracker sequences;
  private final StageTracer tracer;

  /**
   * @param wal where messages and dead letters go
   * @param gatewayId this gateway's id, stamped on every envelope
   * @param clock measures the time from receipt to durable
   * @param traceIds makes trace ids for messages that arrive without a valid one
   * @param config limits and retry hints
   * @param deadLetterExecutor runs dead-letter writes, which block until forced; never a network
   *     event loop. One thread suffices. Give it a bounded queue: when it rejects a task, the
   *     message is answered {@code Busy}, which stops a flood of garbage from queueing without end
   */
  public IngestPipeline(
      WriteAheadLog wal,
      String gatewayId,
      Clock clock,
      TraceIds traceIds,
      IngestConfig config,
      Executor deadLetterExecutor) {
    this(wal, gatewayId, clock, traceIds, config, deadLetterExecutor, StageTracer.NOOP);
  }

  /**
   * The same, recording each stored message's {@link StageTracer.Stage#INGEST} stage (receipt to
   * durable) on {@code tracer}.
   */
  public IngestPipeline(
      WriteAheadLog wal,
      String gatewayId,
      Clock clock,
      TraceIds traceIds,
      IngestConfig config,
      Executor deadLetterExecutor,
      StageTracer tracer) {
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.wal = Objects.requireNonNull(wal, "wal");
    this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.traceIds = Objects.requireNonNull(traceIds, "traceIds");
    this.config = Objects.requireNonNull(config, "config");
    this.deadLetterExecutor = Objects.requireNonNull(deadLetterExecutor, "deadLetterExecutor");
    if (!Telemetry.isDeviceId(gatewayId)) {
      throw new IllegalArgumentException(
          "gatewayId must match " + Telemetry.DEVICE_ID + ", got " + gatewayId);
    }
    this.maxBodyBytes = Math.toIntExact(config.maxBodySize().bytes());
    this.decoder = new PayloadDecoder(config);
    this.sequences = SeqTracker.of(config);
  }

  @Override
  public CompletionStage<IngestResult> ingest(IngestRequest request) {
    try {
      return route(request);
    } catch (RuntimeException e) {
      // Bad input never gets here; this is a bug, and the contract says to fail the stage.
      log.error("ingest failed unexpectedly on {}", request.sourceTopic(), e);
      return CompletableFuture.failedFuture(e);
    }
  }

  private CompletionStage<IngestResult> route(IngestRequest request) {
    metrics.received(request.body().length);
    Optional<SourceTopic> topic = SourceTopic.parse(request.transport(), request.sourceTopic());
    if (topic.isEmpty()) {
      return reject(
          request,
          Reason.UNKNOWN_TOPIC,
          "'"
              + shorten(request.sourceTopic())
              + "' is not a topic devices publish to over "
              + transportName(request)
              + (request.transport() == IngestRequest.Transport.HTTP
                  ? " (POST /v1/ingest/{deviceId})"
                  : " (devices/{deviceId}/telemetry, /events or /firmware/state)"));
    }
    String deviceId = topic.get().deviceId();
    DeviceIdentity identity = request.identity();
    if (identity.method() != DeviceIdentity.Method.ANONYMOUS
        && !identity.deviceId().equals(deviceId)) {
      return reject(
          request,
          Reason.WRONG_DEVICE,
          "the topic names device "
              + deviceId
              + ", but the client authenticated as "
              + shorten(identity.deviceId()));
    }
    EnvelopeSchema schema = topic.get().schema();
    MessageContext context =
        new MessageContext(
            deviceId, gatewayId, request.receivedAt(), traceId(request), request.sourceTopic());
    Decoding decoding =
        schema == EnvelopeSchema.TELEMETRY_V1
            ? decoder.decodeTelemetry(request.body(), context)
            : decoder.decodeEvent(request.body(), context);
    if (decoding instanceof Decoding.Invalid invalid) {
      return reject(request, invalid.reason(), invalid.message());
    }
    Telemetry telemetry = ((Decoding.Valid) decoding).telemetry();
    return append(request, schema, telemetry);
  }

  private CompletionStage<IngestResult> append(
      IngestRequest request, EnvelopeSchema schema, Telemetry telemetry) {
    byte[] envelope = codec.encode(new Envelope(schema, request.transport(), telemetry));
    AppendOutcome outcome = wal.append(schema.recordType(), envelope);
    if (outcome instanceof AppendOutcome.Accepted accepted) {
      return accepted
          .durable()
          .handle(
              (offset, failure) ->
                  failure == null
                      ? stored(offset, schema, telemetry, envelope.length)
                      : notDurable(telemetry, rootCause(failure)));
    }
    AppendOutcome.Refused refused = (AppendOutcome.Refused) outcome;
    return switch (refused.reason()) {
      case TOO_LARGE ->
          reject(
              request,
              Reason.PAYLOAD_TOO_LARGE,
              "the message is too large for the log as stored (" + refused.message() + ")");
      case FULL, TOO_OLD ->
          CompletableFuture.completedFuture(busy(refused.message(), config.retryAfterFull()));
      case FAILED, CLOSED ->
          CompletableFuture.completedFuture(busy(refused.message(), config.retryAfterFailure()));
    };
  }

  private IngestResult notDurable(Telemetry telemetry, String cause) {
    String message = "the log could not make the message durable: " + cause;
    if (tracer.enabled()) {
      trace(telemetry, clock.instant(), OptionalLong.empty(), Optional.of(message));
    }
    return busy(message, config.retryAfterFailure());
  }

  private void trace(
      Telemetry telemetry, Instant durableAt, OptionalLong offset, Optional<String> error) {
    Map<String, String> attributes = new HashMap<>(4);
    attributes.put("device_id", telemetry.deviceId());
    attributes.put("gateway_id", telemetry.gatewayId());
    attributes.put("source_topic", telemetry.sourceTopic());
    offset.ifPresent(o -> attributes.put("wal_offset", Long.toString(o)));
    tracer.record(
        StageTracer.Stage.INGEST,
        telemetry.traceId(),
        telemetry.receivedAt(),
        durableAt,
        error,
        attributes);
  }

  private IngestResult stored(
      long offset, EnvelopeSchema schema, Telemetry telemetry, int envelopeBytes) {
    Instant durableAt = clock.instant();
    long micros = ChronoUnit.MICROS.between(telemetry.receivedAt(), durableAt);
    metrics.stored(envelopeBytes, micros);
    if (tracer.enabled()) {
      trace(telemetry, durableAt, OptionalLong.of(offset), Optional.empty());
    }
    if (schema == EnvelopeSchema.TELEMETRY_V1) {
      sequences.record(
          telemetry.deviceId(), telemetry.seq(), telemetry.deviceTime(), telemetry.receivedAt());
    }
    return new IngestResult.Stored(offset, telemetry);
  }

  private IngestResult busy(String message, Duration retryAfter) {
    metrics.busy();
    return new IngestResult.Busy(message, retryAfter);
  }

  private CompletionStage<IngestResult> reject(
      IngestRequest request, Reason reason, String message) {
    byte[] body = request.body();
    byte[] evidence = body.length <= maxBodyBytes ? body : Arrays.copyOf(body, maxBodyBytes);
    String detail =
        message
            + " [topic "
            + shorten(request.sourceTopic())
            + ", identity "
            + shorten(request.identity().deviceId())
            + " by "
            + request.identity().method().name().toLowerCase(Locale.ROOT)
            + request.traceId().filter(TraceIds::isValid).map(id -> ", trace " + id).orElse("")
            + (evidence.length < body.length
                ? ", body cut to its first " + evidence.length + " of " + body.length + " bytes"
                : "")
            + "]";
    String source = transportName(request);
    try {
      return CompletableFuture.supplyAsync(
          () -> deadLetter(source, reason, message, detail, evidence), deadLetterExecutor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(
          busy(
              "the gateway is refusing more messages than it can record; retry later",
              config.retryAfterFull()));
    }
  }

  private IngestResult deadLetter(
      String source, Reason reason, String message, String detail, byte[] evidence) {
    try {
      DeadLetter dead = wal.deadLetter(source, reason.code(), detail, evidence);
      metrics.rejected(reason);
      return new IngestResult.Rejected(reason, message, dead.sequence());
    } catch (WalException e) {
      // Refusing without evidence would be a silent drop: not acknowledging lets the device retry.
      log.error(
          "cannot dead-letter a {} message refused as {}: {}",
          source,
          reason.code(),
          e.getMessage());
      return busy(
          "the gateway cannot record why it refuses this message (" + reason.code() + ") now",
          config.retryAfterFailure());
    }
  }

  private String traceId(IngestRequest request) {
    return request.traceId().filter(TraceIds::isValid).orElseGet(traceIds::next);
  }

  /** The pipeline's counters now. */
  public IngestMetrics.Snapshot metrics() {
    return metrics.snapshot();
  }

  /** Per-device sequence and clock state, updated by every stored telemetry message. */
  public SeqTracker sequences() {
    return sequences;
  }

  private static String transportName(IngestRequest request) {
    return request.transport().name().toLowerCase(Locale.ROOT);
  }

  private static String rootCause(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return String.valueOf(cause.getMessage());
  }

  /** Topics and ids quoted back are the client's own text; keep what is echoed short. */
  private static String shorten(String text) {
    return text.length() <= 128 ? text : text.substring(0, 128) + "…";
  }
}
