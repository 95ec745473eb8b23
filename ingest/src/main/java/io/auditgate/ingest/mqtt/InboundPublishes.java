package io.auditgate.ingest.mqtt;

import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.mqtt.DeviceTopics.PublishVerdict;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publishes one connection has received and not yet answered.
 *
 * <ul>
 *   <li>Every publish goes to the ingest; a QoS 1 PUBACK or QoS 2 PUBREC is written only once the
 *       ingest has answered (for {@link IngestResult.Stored}: once the record is durable), and in
 *       the order the publishes arrived [MQTT-4.6.0-2], [MQTT-4.6.0-3], whatever order the ingest
 *       answers in.
 *   <li>At most {@code mqtt.receive_maximum} publishes (of any QoS) wait for the ingest; at that
 *       point the connection is not read until one is answered. That bounds the memory a connection
 *       holds and is the MQTT 5 receive maximum (section 4.9) for MQTT 3.1.1 clients.
 *   <li>QoS 2 duplicates are recognised through the {@link Session}, across reconnects, and
 *       answered without being stored again [MQTT-4.3.3-2].
 *   <li>Busy: see {@link MqttReplies}. MQTT 3.1.1 messages are held and offered again, MQTT 5 ones
 *       refused with 0x97; either way the connection is not read until the ingest accepts.
 * </ul>
 *
 * <p>Confined to the connection's event loop; ingest answers hop back onto it.
 */
final class InboundPublishes {
  private static final Logger log = LoggerFactory.getLogger(InboundPublishes.class);
  private static final Pattern TRACE_ID = Pattern.compile("^[0-9a-f]{32}$");
  private static final String NO_TRACE = "00000000000000000000000000000000";

  private final ChannelHandlerContext ctx;
  private final MqttVersion version;
  private final DeviceIdentity identity;
  private final Session session;
  private final TelemetryIngest ingest;
  private final Clock clock;
  private final MetricsRecorder metrics;
  private final ReadGate readGate;
  private final ConnectionControl control;
  private final int receiveMaximum;
  private final boolean reasonStrings;
  private final ArrayDeque<Pending> unanswered = new ArrayDeque<>();
  private final AnswerRuns<Answered> answers;
  private final Set<Integer> releasesOwedHere = new HashSet<>();
  private int qos0Waiting;
  private int held;
  private ScheduledFuture<?> busyPause;
  private boolean closed;
  private boolean inRun;
  private boolean unflushed;
  private ByteBuf plainAnswers;

  /** The ingest's answer to a publish; {@code pending} is null for QoS 0. */
  private record Answered(Pending pending, IngestResult result, Throwable error) {}

  /** One QoS 1 or 2 publish waiting for its answer. */
  private static final class Pending {
    final MqttQoS qos;
    final int packetId;
    final IngestRequest request;
    AckPlan.Answer answer;
    CompletableFuture<Boolean> qos2Claim;
    ScheduledFuture<?> retry;
    boolean busy;

    Pending(MqttQoS qos, int packetId, IngestRequest request) {
      this.qos = qos;
      this.packetId = packetId;
      this.request = request;
    }
  }

  InboundPublishes(
      ChannelHandlerContext ctx,
      MqttVersion version,
      DeviceIdentity identity,
      Session session,
      TelemetryIngest ingest,
      Clock clock,
      MetricsRecorder metrics,
      ReadGate readGate,
      ConnectionControl control,
      int receiveMaximum,
      boolean reasonStrings) {
    this.ctx = ctx;
    this.version = version;
    this.identity = identity;
    this.session = session;
    this.ingest = ingest;
    this.clock = clock;
    this.metrics = metrics;
    this.readGate = readGate;
    this.control = control;
    this.receiveMaximum = receiveMaximum;
    this.reasonStrings = reasonStrings;
    this.answers = new AnswerRuns<>(ctx.executor(), this::onAnswer, this::endOfRun);
  }

  void onPublish(MqttPublishMessage publish) {
    MqttQoS qos = publish.fixedHeader().qosLevel();
    MqttPublishVariableHeader header = publish.variableHeader();
    String topic = header.topicName();
    metrics.publish(qos);
    boolean v5 = version == MqttVersion.MQTT_5;
    if (v5 && header.properties().getProperty(MqttPropertyType.TOPIC_ALIAS.value()) != null) {
      control.close(CloseReason.TOPIC_ALIAS_INVALID); // no alias maximum was announced
      return;
    }
    if (topic.isEmpty()) {
      control.close(CloseReason.PROTOCOL_ERROR); // [MQTT-4.7.3-1]
      return;
    }
    boolean acknowledged = qos != MqttQoS.AT_MOST_ONCE;
    if (acknowledged && v5 && unanswered.size() + releasesOwedHere.size() >= receiveMaximum) {
      control.close(CloseReason.RECEIVE_MAXIMUM_EXCEEDED); // [MQTT-3.3.4-9]
      return;
    }
    PublishVerdict verdict = DeviceTopics.forPublish(topic, identity.deviceId());
    if (verdict != PublishVerdict.ALLOWED) {
      refuseTopic(qos, header.packetId(), verdict);
      return;
    }
    IngestRequest request =
        new IngestRequest(
            identity,
            IngestRequest.Transport.MQTT,
            topic,
            ByteBufUtil.getBytes(publish.payload()),
            clock.instant(),
            v5 ? traceId(header.properties()) : Optional.empty());
    if (!acknowledged) {
      qos0Waiting++;
      ingest(request)
          .whenComplete((result, error) -> answers.offer(new Answered(null, result, error)));
    } else {
      Pending pending = new Pending(qos, header.packetId(), request);
      unanswered.add(pending);
      if (qos == MqttQoS.EXACTLY_ONCE) {
        claimAndSubmit(pending);
      } else {
        submit(pending);
      }
    }
    updateWindow();
  }

  /** PUBREL: the session forgets the id and PUBCOMP ends the exchange [MQTT-4.3.3-2]. */
  void onPubRel(int packetId) {
    boolean known = session.release(packetId);
    releasesOwedHere.remove(packetId);
    ctx.writeAndFlush(MqttReplies.pubComp(version, packetId, known));
    metrics.ackSent();
  }

  /** The connection ended: answer nothing more, give up held messages, cancel timers. */
  void connectionClosed() {
    closed = true;
    if (plainAnswers != null) {
      plainAnswers.release();
      plainAnswers = null;
    }
    if (busyPause != null) {
      busyPause.cancel(false);
    }
    for (Pending pending : unanswered) {
      if (pending.retry != null) {
        pending.retry.cancel(false);
        finishQos2(pending, false);
      }
    }
    unanswered.clear();
  }

  private void refuseTopic(MqttQoS qos, int packetId, PublishVerdict verdict) {
    metrics.rejected(MqttReplies.rejectLabel(verdict));
    AckPlan plan = MqttReplies.forTopicRefusal(version, qos, verdict);
    if (plan instanceof AckPlan.Close close) {
      metrics.violation();
      control.close(close.reason());
      return;
    }
    if (plan instanceof AckPlan.Answer answer) {
      Pending pending = new Pending(qos, packetId, null);
      pending.answer = answer;
      unanswered.add(pending);
      flush();
    }
    control.violation();
  }

  private void claimAndSubmit(Pending pending) {
    Session.Qos2Claim claim = session.claimQos2(pending.packetId);
    if (claim instanceof Session.Qos2Claim.Fresh fresh) {
      pending.qos2Claim = fresh.done();
      submit(pending);
    } else if (claim instanceof Session.Qos2Claim.InProgress inProgress) {
      metrics.duplicateQos2();
      inProgress
          .done()
          .whenCompleteAsync((accepted, error) -> onEarlierCopy(pending, accepted), ctx.executor());
    } else {
      metrics.duplicateQos2();
      pending.answer = new AckPlan.Answer(MqttReplies.SUCCESS, true, "");
      flush();
    }
  }

  /** An earlier copy of a QoS 2 message was being ingested when this resend arrived. */
  private void onEarlierCopy(Pending pending, Boolean accepted) {
    if (closed) {
      return;
    }
    if (Boolean.TRUE.equals(accepted)) {
      pending.answer = new AckPlan.Answer(MqttReplies.SUCCESS, true, "");
      flush();
    } else {
      claimAndSubmit(pending); // the earlier copy was not stored: this one is offered instead
    }
  }

  private void submit(Pending pending) {
    ingest(pending.request)
        .whenComplete((result, error) -> answers.offer(new Answered(pending, result, error)));
  }

  private void onAnswer(Answered answered) {
    inRun = true;
    if (answered.pending() == null) {
      onQos0Result(answered.result(), answered.error());
    } else {
      onResult(answered.pending(), answered.result(), answered.error());
    }
  }

  /** One flush for every answer of the run. */
  private void endOfRun() {
    inRun = false;
    flushWritten();
  }

  private CompletionStage<IngestResult> ingest(IngestRequest request) {
    try {
      return ingest.ingest(request);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void onResult(Pending pending, IngestResult result, Throwable error) {
    if (error != null) {
      finishQos2(pending, false);
      ingestFailed(error);
      return;
    }
    count(result);
    AckPlan plan = MqttReplies.forIngestResult(version, result);
    if (plan instanceof AckPlan.Retry retry) {
      if (closed) {
        finishQos2(pending, false);
      } else {
        hold(pending, retry.after());
      }
      return;
    }
    AckPlan.Answer answer = (AckPlan.Answer) plan;
    finishQos2(pending, answer.accepted());
    if (pending.busy) {
      pending.busy = false;
      held--;
    }
    if (result instanceof IngestResult.Busy busy) {
      pauseWhileBusy(busy.retryAfter());
    }
    if (closed) {
      return;
    }
    pending.answer = answer;
    flush();
    resumeIfNoLongerBusy();
  }

  private void onQos0Result(IngestResult result, Throwable error) {
    qos0Waiting--;
    if (error != null) {
      ingestFailed(error);
      return;
    }
    count(result);
    if (result instanceof IngestResult.Busy busy) {
      pauseWhileBusy(busy.retryAfter()); // QoS 0 promises nothing: counted, not kept
    }
    updateWindow();
  }

  private void count(IngestResult result) {
    if (result instanceof IngestResult.Busy) {
      metrics.busy();
    } else if (result instanceof IngestResult.Rejected rejected) {
      metrics.rejected(rejected.reason().code());
    }
  }

  private void ingestFailed(Throwable error) {
    writePlainAnswers(); // what was acknowledged before goes out ahead of the DISCONNECT
    metrics.unexpectedError();
    log.error("the ingest failed on a message from device {}", identity.deviceId(), error);
    control.close(CloseReason.INGEST_FAILED);
  }

  /** Keeps a busy MQTT 3.1.1 message unanswered and offers it again after {@code after}. */
  private void hold(Pending pending, Duration after) {
    if (!pending.busy) {
      pending.busy = true;
      held++;
    }
    readGate.pause(ReadGate.Reason.BUSY);
    long delayMillis = MqttReplies.retryDelay(after).toMillis();
    pending.retry =
        ctx.executor().schedule(() -> retry(pending), delayMillis, TimeUnit.MILLISECONDS);
  }

  private void retry(Pending pending) {
    pending.retry = null;
    if (closed) {
      finishQos2(pending, false);
      return;
    }
    submit(pending);
  }

  /** Stops reading for {@code hint}: the ingest cannot store anything now. */
  private void pauseWhileBusy(Duration hint) {
    if (closed) {
      return;
    }
    readGate.pause(ReadGate.Reason.BUSY);
    if (busyPause != null) {
      busyPause.cancel(false);
    }
    long delayMillis = MqttReplies.retryDelay(hint).toMillis();
    busyPause = ctx.executor().schedule(this::busyPauseOver, delayMillis, TimeUnit.MILLISECONDS);
  }

  private void busyPauseOver() {
    busyPause = null;
    resumeIfNoLongerBusy();
  }

  private void resumeIfNoLongerBusy() {
    if (!closed && held == 0 && busyPause == null) {
      readGate.resume(ReadGate.Reason.BUSY);
    }
  }

  private void finishQos2(Pending pending, boolean accepted) {
    if (pending.qos2Claim != null) {
      pending.qos2Claim = null;
      session.finishQos2(pending.packetId, accepted);
    }
  }

  /**
   * Writes every answer at the head of the queue, stopping at the first still undecided, and
   * flushes them, unless a run of answers is being handled: then the run flushes once at its end.
   */
  private void flush() {
    while (!closed && !unanswered.isEmpty() && unanswered.peekFirst().answer != null) {
      Pending pending = unanswered.pollFirst();
      if (MqttReplies.isPlainAnswer(pending.answer)) {
        if (plainAnswers == null) {
          plainAnswers = ctx.alloc().buffer(4 * (unanswered.size() + 1));
        }
        MqttReplies.writePlainAnswer(plainAnswers, pending.qos, pending.packetId);
      } else {
        writePlainAnswers(); // first, to keep the order
        ctx.write(
            MqttReplies.publishAnswer(pending.qos, pending.packetId, pending.answer, reasonStrings),
            ctx.voidPromise());
      }
      metrics.ackSent();
      unflushed = true;
      boolean owesRelease = pending.qos == MqttQoS.EXACTLY_ONCE && pending.answer.accepted();
      if (owesRelease && version == MqttVersion.MQTT_5) {
        releasesOwedHere.add(pending.packetId);
      }
    }
    if (!inRun) {
      flushWritten();
    }
    updateWindow();
  }

  private void flushWritten() {
    if (unflushed) {
      unflushed = false;
      writePlainAnswers();
      ctx.flush();
    }
  }

  /**
   * Writes the plain acknowledgements gathered so far as one buffer. No promise: nobody waits on an
   * acknowledgement's write, and a failed write reaches exceptionCaught, which closes.
   */
  private void writePlainAnswers() {
    if (plainAnswers != null) {
      ByteBuf gathered = plainAnswers;
      plainAnswers = null;
      ctx.write(gathered, ctx.voidPromise());
    }
  }

  private void updateWindow() {
    if (closed) {
      return;
    }
    if (unanswered.size() + qos0Waiting >= receiveMaximum) {
      readGate.pause(ReadGate.Reason.WINDOW_FULL);
    } else {
      readGate.resume(ReadGate.Reason.WINDOW_FULL);
    }
  }

  /** The trace id of an MQTT 5 {@code traceparent} user property (W3C Trace Context), if any. */
  static Optional<String> traceId(MqttProperties properties) {
    for (MqttProperties.MqttProperty<?> property :
        properties.getProperties(MqttPropertyType.USER_PROPERTY.value())) {
      if (property instanceof MqttProperties.UserProperty user
          && "traceparent".equals(user.value().key)) {
        String[] parts = user.value().value.split("-", -1);
        boolean valid = parts.length == 4 && TRACE_ID.matcher(parts[1]).matches();
        if (valid && !parts[1].equals(NO_TRACE)) {
          return Optional.of(parts[1]);
        }
      }
    }
    return Optional.empty();
  }
}
