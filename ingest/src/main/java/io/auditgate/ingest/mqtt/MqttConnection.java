package io.auditgate.ingest.mqtt;

import io.auditgate.ingest.auth.RevocationCheck;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection, from accept to close: the last handler of its pipeline. It waits for
 * CONNECT (within {@code mqtt.connect_timeout}), lets {@link ConnectPolicy} decide it, then routes
 * each packet to the part that handles it. It handles every exception and event that reaches it, so
 * nothing ends up at Netty's default handler.
 *
 * <p>Confined to the connection's event loop; {@link #sendCommand}, {@link #takeOver} and {@link
 * #shutdown} hop onto it.
 */
final class MqttConnection extends ChannelInboundHandlerAdapter implements ConnectionControl {
  private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);

  /**
   * How long the gateway keeps reading (and discarding) after its last word before it closes, so
   * that unread input does not turn the close into a reset that destroys that word in transit.
   */
  static final Duration LINGER = Duration.ofMillis(250);

  /** The pipeline handler the keep-alive check is placed in front of. */
  static final String FLOW_CONTROL = "flow-control";

  private enum State {
    AWAITING_CONNECT,
    CONNECTED,
    CLOSED
  }

  private final ListenerScope scope;
  private final Optional<ConnectRefusal> admission;
  private final boolean lingeringRefusal;
  private ChannelHandlerContext ctx;
  private ReadGate readGate;
  private State state = State.AWAITING_CONNECT;
  private boolean closing;
  private boolean connectReceived;
  private boolean refusalCounted;
  private MqttVersion version = MqttVersion.MQTT_3_1_1;
  private ScheduledFuture<?> connectTimer;
  private CloseReason closeReason;

  private ConnectDecision.Accept client;
  private SessionKey key;
  private Session session;
  private Duration sessionExpiry;
  private InboundPublishes publishes;
  private SubscriptionRequests subscriptions;
  private OutboundCommands commands;
  private boolean willSuppressed;
  private int violations;

  /** The accepted client's certificate chain, read by the revocation sweep from another thread. */
  private volatile List<X509Certificate> acceptedChain = List.of();

  /**
   * @param admission why the connection was refused at accept, if it was
   * @param lingeringRefusal whether a refused connection waits for its CONNECT to be told why
   */
  MqttConnection(
      ListenerScope scope, Optional<ConnectRefusal> admission, boolean lingeringRefusal) {
    this.scope = scope;
    this.admission = admission;
    this.lingeringRefusal = lingeringRefusal;
  }

  // ---------------------------------------------------------------- calls from other threads

  /** Sends a command on this connection's event loop. */
  CompletableFuture<CommandOutcome> sendCommand(
      String topic, byte[] payload, CommandPublisher.Qos qos) {
    CompletableFuture<CommandOutcome> outcome = new CompletableFuture<>();
    try {
      ctx.executor().execute(() -> sendCommandNow(topic, payload, qos, outcome));
    } catch (RejectedExecutionException shuttingDown) {
      outcome.complete(new CommandOutcome.NotConnected());
    }
    return outcome;
  }

  /** Another connection took over this one's session. */
  void takeOver() {
    onEventLoop(() -> close(CloseReason.SESSION_TAKEN_OVER));
  }

  /**
   * Closes the connection with {@code certificate_revoked} when its client certificate is revoked
   * now; answers whether it did. Called by the revocation sweep from any thread; the check must not
   * block (its contract).
   */
  boolean dropIfRevoked(RevocationCheck revocation) {
    List<X509Certificate> chain = acceptedChain;
    if (chain.isEmpty() || !revocation.isRevoked(chain.get(0), chain)) {
      return false;
    }
    onEventLoop(() -> close(CloseReason.CERTIFICATE_REVOKED));
    return true;
  }

  /** The listener is stopping: MQTT 5 clients are told; no will is published. */
  void shutdown() {
    onEventLoop(this::shutdownNow);
  }

  private void onEventLoop(Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException shuttingDown) {
      // The event loop is closing every channel anyway.
    }
  }

  // ---------------------------------------------------------------- Netty events

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.readGate = new ReadGate(ctx.channel().config());
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    scope.metrics().connectionOpened();
    if (admission.isPresent() && !lingeringRefusal) {
      refuse(admission.get());
      return;
    }
    long timeoutMillis = scope.config().connectTimeout().toMillis();
    connectTimer =
        ctx.executor().schedule(this::connectTimedOut, timeoutMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof MqttMessage message) || closing || state == State.CLOSED) {
        return;
      }
      if (message.decoderResult().isFailure()) {
        undecodable(message);
      } else if (state == State.AWAITING_CONNECT) {
        if (message instanceof MqttConnectMessage connect) {
          onConnect(connect);
        } else {
          refuse(ConnectRefusal.PROTOCOL_ERROR); // [MQTT-3.1.0-1]
        }
      } else {
        route(message);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof FrameGuard.Oversized) {
      ended(CloseReason.PACKET_TOO_LARGE, ConnectRefusal.PACKET_TOO_LARGE);
    } else if (event instanceof FrameGuard.NotConnect) {
      refuse(ConnectRefusal.PROTOCOL_ERROR); // [MQTT-3.1.0-1]
    } else if (event instanceof FrameGuard.Undecodable) {
      ended(CloseReason.MALFORMED_PACKET, ConnectRefusal.MALFORMED_CONNECT);
    } else if (event instanceof IdleStateEvent) {
      // A client that sent nothing while the gateway was not reading is not a dead peer.
      if (state == State.CONNECTED && !readGate.pausedSinceAsked()) {
        close(CloseReason.KEEP_ALIVE_TIMEOUT); // [MQTT-3.1.2-24]
      }
    } else if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
      refuse(ConnectRefusal.TLS_HANDSHAKE_FAILED);
    } else {
      ctx.fireUserEventTriggered(event);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) {
      readGate.resume(ReadGate.Reason.UNWRITABLE);
    } else {
      readGate.pause(ReadGate.Reason.UNWRITABLE); // stop producing answers nobody reads
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (isTlsFailure(cause)) {
      log.debug("TLS failure on {}: {}", ctx.channel(), cause.toString());
      ended(CloseReason.IO_ERROR, ConnectRefusal.TLS_HANDSHAKE_FAILED);
    } else if (cause instanceof IOException) {
      log.debug("I/O error on {}: {}", ctx.channel(), cause.toString());
      ended(CloseReason.IO_ERROR, ConnectRefusal.CLOSED_BY_CLIENT);
    } else {
      scope.metrics().unexpectedError();
      log.warn("unexpected error on MQTT connection {}", ctx.channel(), cause);
      ended(CloseReason.PROTOCOL_ERROR, ConnectRefusal.MALFORMED_CONNECT);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connectTimer != null) {
      connectTimer.cancel(false);
    }
    scope.metrics().connectionClosed();
    if (state == State.CONNECTED) {
      disconnected();
    } else if (!refusalCounted) {
      scope.metrics().refused(ConnectRefusal.CLOSED_BY_CLIENT);
    }
    if (admission.isEmpty()) {
      scope.gate().released();
    } else if (lingeringRefusal) {
      scope.gate().done();
    }
    state = State.CLOSED;
  }

  // ---------------------------------------------------------------- CONNECT

  private void onConnect(MqttConnectMessage connect) {
    connectReceived = true;
    version = ConnectPolicy.versionOf(connect.variableHeader());
    if (admission.isPresent()) {
      refuse(admission.get());
      return;
    }
    Optional<List<X509Certificate>> chain = peerChain();
    ConnectDecision decision = scope.connectPolicy().decide(connect, chain);
    if (decision instanceof ConnectDecision.Refuse refusal) {
      refuse(refusal.reason());
    } else {
      acceptedChain = chain.orElse(List.of());
      accept((ConnectDecision.Accept) decision, chain.map(certificates -> certificates.get(0)));
    }
  }

  private void accept(
      ConnectDecision.Accept accepted, Optional<X509Certificate> clientCertificate) {
    connectTimer.cancel(false);
    client = accepted;
    key = new SessionKey(accepted.identity().deviceId(), accepted.clientId());
    sessionExpiry = accepted.sessionExpiry();
    List<Runnable> willsDue = new ArrayList<>();
    SessionStore.Attached attached;
    Optional<MqttConnection> previous;
    // Attaching the session and registering the connection as its holder happen together, so
    // that two CONNECTs for one session cannot each end up owning it.
    synchronized (scope.sessions()) {
      attached = scope.sessions().attach(key, accepted.cleanStart(), this, willsDue);
      previous = scope.registry().register(key, this);
    }
    session = attached.session();
    int receiveMaximum = scope.config().receiveMaximum();
    publishes =
        new InboundPublishes(
            ctx,
            version,
            accepted.identity(),
            session,
            scope.ingest(),
            scope.clock(),
            scope.metrics(),
            readGate,
            this,
            receiveMaximum,
            accepted.limits().problemInformation());
    subscriptions =
        new SubscriptionRequests(ctx, version, accepted.identity().deviceId(), session, this);
    commands =
        new OutboundCommands(
            ctx, version, session, accepted.limits(), receiveMaximum, scope.metrics());
    if (accepted.keepAliveSeconds() > 0) {
      long idleMillis = accepted.keepAliveSeconds() * 1_500L;
      ctx.pipeline()
          .addBefore(
              FLOW_CONTROL,
              "keep-alive",
              new IdleStateHandler(idleMillis, 0, 0, TimeUnit.MILLISECONDS));
    }
    state = State.CONNECTED;
    scope.metrics().clientConnected();
    // Before the CONNACK, so that the event precedes in the log whatever the client sends next.
    scope
        .connectivity()
        .connected(
            accepted.identity(),
            accepted.clientId(),
            version,
            tls(clientCertificate.isPresent()),
            clientCertificate);
    ctx.writeAndFlush(
        MqttReplies.connAck(
            MqttConnectReturnCode.CONNECTION_ACCEPTED, attached.present(), connAckProperties()));
    if (attached.present()) {
      commands.resendUnacknowledged();
    }
    previous.ifPresent(MqttConnection::takeOver);
    willsDue.forEach(Runnable::run);
  }

  /** What an MQTT 5 client learns about the gateway (section 3.2.2.3). */
  private MqttProperties connAckProperties() {
    if (version != MqttVersion.MQTT_5) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties properties = new MqttProperties();
    properties.add(integer(MqttPropertyType.RECEIVE_MAXIMUM, scope.config().receiveMaximum()));
    properties.add(
        integer(
            MqttPropertyType.MAXIMUM_PACKET_SIZE, (int) scope.config().maxPacketSize().bytes()));
    properties.add(integer(MqttPropertyType.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0));
    properties.add(integer(MqttPropertyType.SHARED_SUBSCRIPTION_AVAILABLE, 0));
    if (client.assignedClientId()) {
      properties.add(
          new MqttProperties.StringProperty(
              MqttPropertyType.ASSIGNED_CLIENT_IDENTIFIER.value(), client.clientId()));
    }
    if (client.sessionExpiryReduced()) {
      properties.add(
          integer(MqttPropertyType.SESSION_EXPIRY_INTERVAL, (int) sessionExpiry.toSeconds()));
    }
    return properties;
  }

  private Optional<List<X509Certificate>> peerChain() {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      List<X509Certificate> certificates =
          Arrays.stream(chain)
              .filter(X509Certificate.class::isInstance)
              .map(X509Certificate.class::cast)
              .toList();
      return certificates.isEmpty() ? Optional.empty() : Optional.of(certificates);
    } catch (SSLPeerUnverifiedException noClientCertificate) {
      return Optional.empty();
    }
  }

  private ConnectivityEvents.Tls tls(boolean clientCertificate) {
    if (ctx.pipeline().get(SslHandler.class) == null) {
      return ConnectivityEvents.Tls.PLAINTEXT;
    }
    return clientCertificate ? ConnectivityEvents.Tls.MTLS : ConnectivityEvents.Tls.TLS;
  }

  private void connectTimedOut() {
    if (state == State.AWAITING_CONNECT) {
      refuse(admission.orElse(ConnectRefusal.CONNECT_TIMEOUT));
    }
  }

  // ---------------------------------------------------------------- packets of a connected client

  private void route(MqttMessage message) {
    switch (message.fixedHeader().messageType()) {
      case PUBLISH -> publishes.onPublish((MqttPublishMessage) message);
      case PUBREL -> publishes.onPubRel(packetId(message));
      case PUBACK -> commands.onPubAck(packetId(message), reasonCode(message));
      case SUBSCRIBE -> subscriptions.onSubscribe((MqttSubscribeMessage) message);
      case UNSUBSCRIBE -> subscriptions.onUnsubscribe((MqttUnsubscribeMessage) message);
      case PINGREQ -> ctx.writeAndFlush(MqttReplies.pingResp());
      case DISCONNECT -> onDisconnect(message);
      // A second CONNECT [MQTT-3.1.0-2]; packets only a server sends; PUBREC and PUBCOMP, since
      // commands are never sent at QoS 2; AUTH, since enhanced authentication is not offered.
      default -> close(CloseReason.PROTOCOL_ERROR);
    }
  }

  private void onDisconnect(MqttMessage disconnect) {
    willSuppressed = true; // [MQTT-3.1.2-10]
    if (version == MqttVersion.MQTT_5
        && disconnect.variableHeader()
            instanceof MqttReasonCodeAndPropertiesVariableHeader header) {
      willSuppressed = header.reasonCode() != 0x04; // 0x04: disconnect with will message
      MqttProperties.MqttProperty<?> expiry =
          header.properties().getProperty(MqttPropertyType.SESSION_EXPIRY_INTERVAL.value());
      if (expiry != null && expiry.value() instanceof Integer seconds) {
        Duration asked = Duration.ofSeconds(seconds & 0xFFFF_FFFFL);
        if (sessionExpiry.isZero() && !asked.isZero()) {
          close(CloseReason.PROTOCOL_ERROR); // [MQTT-3.14.2-2]
          return;
        }
        Duration max = scope.config().maxSessionExpiry();
        sessionExpiry = asked.compareTo(max) > 0 ? max : asked;
      }
    }
    closing = true;
    closeReason = CloseReason.CLIENT_DISCONNECT;
    ctx.close();
  }

  @Override
  public void violation() {
    scope.metrics().violation();
    if (++violations >= scope.config().maxViolations()) {
      close(CloseReason.NOT_AUTHORIZED);
    }
  }

  // ---------------------------------------------------------------- ending

  @Override
  public void close(CloseReason reason) {
    if (closing || state == State.CLOSED) {
      return;
    }
    closing = true;
    closeReason = reason;
    Optional<Byte> code =
        version == MqttVersion.MQTT_5 && state == State.CONNECTED
            ? MqttReplies.disconnectCode(reason)
            : Optional.empty();
    if (code.isPresent()) {
      sayThenClose(MqttReplies.disconnect(code.get()));
    } else {
      ctx.close();
    }
  }

  /** Refuses a connection that has not been accepted, with a CONNACK where there is a code. */
  private void refuse(ConnectRefusal reason) {
    if (closing || state != State.AWAITING_CONNECT) {
      return;
    }
    closing = true;
    refusalCounted = true;
    scope.metrics().refused(reason);
    Optional<MqttConnectReturnCode> code = MqttReplies.connectRefusal(version, reason);
    if (connectReceived && code.isPresent()) {
      sayThenClose(MqttReplies.connAck(code.get(), false, MqttProperties.NO_PROPERTIES));
    } else {
      ctx.close();
    }
  }

  /** Ends the connection whether or not the client was accepted. */
  private void ended(CloseReason ifConnected, ConnectRefusal ifNot) {
    if (state == State.CONNECTED) {
      close(ifConnected);
    } else {
      refuse(ifNot);
    }
  }

  private void sayThenClose(MqttMessage lastWord) {
    ctx.writeAndFlush(lastWord);
    ctx.channel().config().setAutoRead(true); // drain, so the close is a FIN and not a reset
    ctx.executor().schedule(() -> ctx.close(), LINGER.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void shutdownNow() {
    willSuppressed = true;
    if (state == State.CONNECTED) {
      close(CloseReason.SHUTTING_DOWN);
    } else {
      refuse(ConnectRefusal.SHUTTING_DOWN);
    }
  }

  /** The accepted client's connection is gone: settle its session, will and counters. */
  private void disconnected() {
    CloseReason reason = closeReason != null ? closeReason : CloseReason.CONNECTION_LOST;
    scope.metrics().clientDisconnected(reason);
    publishes.connectionClosed();
    commands.connectionClosed();
    scope.registry().unregister(key, this);
    scope
        .connectivity()
        .disconnected(
            client.identity(),
            client.clientId(),
            reason,
            scope.registry().connectionsOf(key.deviceId()).size());
    boolean takenOver = !session.ownedBy(this);
    List<Runnable> willsDue = scope.sessions().detach(session, this, sessionExpiry);
    if (client.will().isPresent() && !willSuppressed && reason != CloseReason.SHUTTING_DOWN) {
      publishWill(client.will().get(), takenOver);
    }
    willsDue.forEach(Runnable::run);
  }

  /**
   * Publishes the will now, or after its MQTT 5 delay unless the client resumes the session first
   * [MQTT-3.1.3-9]; a session that ends sooner publishes it then.
   */
  private void publishWill(Will will, boolean takenOver) {
    Runnable publish = () -> scope.wills().publish(client.identity(), will);
    Duration delay = will.delay().compareTo(sessionExpiry) < 0 ? will.delay() : sessionExpiry;
    if (delay.isZero()) {
      publish.run();
    } else if (!takenOver) {
      Session parked = session;
      ScheduledFuture<?> timer =
          ctx.executor()
              .schedule(
                  () -> parked.takePendingWill().ifPresent(due -> due.publish().run()),
                  delay.toMillis(),
                  TimeUnit.MILLISECONDS);
      parked.deferWill(new Session.PendingWill(publish, timer));
    }
  }

  // ---------------------------------------------------------------- helpers

  private void undecodable(MqttMessage message) {
    Throwable cause = message.decoderResult().cause();
    if (state == State.CONNECTED) {
      close(CloseReason.MALFORMED_PACKET);
      return;
    }
    if (message.variableHeader() instanceof MqttConnectVariableHeader header) {
      connectReceived = true;
      try {
        version = ConnectPolicy.versionOf(header);
      } catch (MqttUnacceptableProtocolVersionException unknown) {
        version = MqttVersion.MQTT_3_1_1;
      }
    }
    if (cause instanceof MqttUnacceptableProtocolVersionException) {
      connectReceived = true;
      refuse(ConnectRefusal.UNSUPPORTED_PROTOCOL); // [MQTT-3.1.2-2]
    } else if (cause instanceof MqttIdentifierRejectedException) {
      refuse(ConnectRefusal.IDENTIFIER_REJECTED);
    } else {
      refuse(ConnectRefusal.MALFORMED_CONNECT); // [MQTT-3.1.4-1]
    }
  }

  private void sendCommandNow(
      String topic,
      byte[] payload,
      CommandPublisher.Qos qos,
      CompletableFuture<CommandOutcome> outcome) {
    if (state != State.CONNECTED || closing) {
      outcome.complete(new CommandOutcome.NotConnected());
      return;
    }
    commands
        .send(topic, payload, qos)
        .whenComplete(
            (sent, error) -> outcome.complete(error == null ? sent : new CommandOutcome.Lost()));
  }

  private static int packetId(MqttMessage message) {
    return ((MqttMessageIdVariableHeader) message.variableHeader()).messageId();
  }

  private static int reasonCode(MqttMessage message) {
    return message.variableHeader() instanceof MqttPubReplyMessageVariableHeader reply
        ? reply.reasonCode() & 0xFF
        : 0;
  }

  private static MqttProperties.IntegerProperty integer(MqttPropertyType type, int value) {
    return new MqttProperties.IntegerProperty(type.value(), value);
  }

  private static boolean isTlsFailure(Throwable cause) {
    return cause instanceof SSLException
        || cause instanceof NotSslRecordException
        || (cause instanceof DecoderException && cause.getCause() instanceof SSLException);
  }
}
