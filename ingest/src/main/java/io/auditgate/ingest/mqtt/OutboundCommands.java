package io.auditgate.ingest.mqtt;

import io.auditgate.ingest.mqtt.ConnectDecision.ClientLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Commands on their way to one connection: QoS 1 commands wait here for their PUBACK, at most as
 * many as the client's receive maximum (MQTT 5) and the listener's own limit allow.
 *
 * <p>Confined to the connection's event loop.
 */
final class OutboundCommands {
  private final ChannelHandlerContext ctx;
  private final MqttVersion version;
  private final Session session;
  private final ClientLimits limits;
  private final int maxInFlight;
  private final MetricsRecorder metrics;
  private int nextPacketId = 1;
  private boolean closed;

  OutboundCommands(
      ChannelHandlerContext ctx,
      MqttVersion version,
      Session session,
      ClientLimits limits,
      int maxInFlight,
      MetricsRecorder metrics) {
    this.ctx = ctx;
    this.version = version;
    this.session = session;
    this.limits = limits;
    this.maxInFlight = Math.min(maxInFlight, limits.receiveMaximum());
    this.metrics = metrics;
  }

  CompletableFuture<CommandOutcome> send(String topic, byte[] payload, CommandPublisher.Qos asked) {
    if (closed) {
      return CompletableFuture.completedFuture(new CommandOutcome.NotConnected());
    }
    Optional<Integer> granted = session.grantedQos(topic);
    if (granted.isEmpty()) {
      return CompletableFuture.completedFuture(new CommandOutcome.NotSubscribed());
    }
    boolean atLeastOnce = asked == CommandPublisher.Qos.AT_LEAST_ONCE && granted.get() >= 1;
    if (!ctx.channel().isWritable()) {
      return refused("backlogged");
    }
    if (packetBytes(topic, payload.length, atLeastOnce) > limits.maximumPacketSize()) {
      return refused("too_large"); // [MQTT-3.1.2-24]
    }
    CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
    if (!atLeastOnce) {
      ctx.writeAndFlush(MqttReplies.command(topic, MqttQoS.AT_MOST_ONCE, 0, false, copy(payload)))
          .addListener(
              written ->
                  outcome.complete(
                      written.isSuccess()
                          ? new CommandOutcome.Sent(1)
                          : new CommandOutcome.Lost()));
      metrics.commandSent();
      return outcome;
    }
    if (session.unackedCommandCount() >= maxInFlight) {
      return refused("in_flight_limit");
    }
    int packetId = nextFreePacketId();
    session.commandSent(new Session.UnackedCommand(packetId, topic, payload.clone(), outcome));
    ctx.writeAndFlush(
        MqttReplies.command(topic, MqttQoS.AT_LEAST_ONCE, packetId, false, copy(payload)));
    metrics.commandSent();
    return outcome;
  }

  /** PUBACK for a command; MQTT 5 reason codes of 0x80 and above mean the device refused it. */
  void onPubAck(int packetId, int reasonCode) {
    session
        .commandAcknowledged(packetId)
        .ifPresent(
            command ->
                command
                    .outcome()
                    .complete(
                        reasonCode < 0x80
                            ? new CommandOutcome.Acknowledged(1)
                            : new CommandOutcome.Refused(
                                String.format("puback_0x%02x", reasonCode))));
  }

  /**
   * Sends the resumed session's unacknowledged commands again, in their order, with their packet
   * identifiers and the DUP flag [MQTT-4.4.0-1] [MQTT-3.3.1-1].
   */
  void resendUnacknowledged() {
    for (Session.UnackedCommand command : session.unackedCommands()) {
      ctx.write(
          MqttReplies.command(
              command.topic(),
              MqttQoS.AT_LEAST_ONCE,
              command.packetId(),
              true,
              copy(command.payload())));
      metrics.commandSent();
    }
    ctx.flush();
  }

  /**
   * Stops sending on this connection. Unacknowledged commands stay with the session: a device that
   * resumes it gets them again; a session that ends completes them as lost.
   */
  void connectionClosed() {
    closed = true;
  }

  private int nextFreePacketId() {
    while (session.commandInFlight(nextPacketId)) {
      nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
    }
    int id = nextPacketId;
    nextPacketId = nextPacketId == 65_535 ? 1 : nextPacketId + 1;
    return id;
  }

  /** The encoded size of a PUBLISH (section 3.3), to compare with the client's maximum. */
  private long packetBytes(String topic, int payloadBytes, boolean withPacketId) {
    long remaining = 2L + topic.getBytes(StandardCharsets.UTF_8).length + payloadBytes;
    remaining += withPacketId ? 2 : 0;
    remaining += version == MqttVersion.MQTT_5 ? 1 : 0; // empty property length
    int lengthBytes = remaining < 128 ? 1 : remaining < 16_384 ? 2 : remaining < 2_097_152 ? 3 : 4;
    return 1 + lengthBytes + remaining;
  }

  private static ByteBuf copy(byte[] payload) {
    return Unpooled.copiedBuffer(payload);
  }

  private static CompletableFuture<CommandOutcome> refused(String reason) {
    return CompletableFuture.completedFuture(new CommandOutcome.Refused(reason));
  }
}
