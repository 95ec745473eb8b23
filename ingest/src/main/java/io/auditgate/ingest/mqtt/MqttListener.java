package io.auditgate.ingest.mqtt;

import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.auth.RevocationCheck;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's own MQTT listener: MQTT 3.1.1 and 5.0 over TLS (or plaintext, when explicitly
 * configured), scoped to what devices need. A device publishes on its own {@code
 * devices/{id}/telemetry|events|firmware/state} topics and subscribes to its own {@code
 * devices/{id}/commands/#}; its id comes from its client certificate or its credentials, never from
 * the topic. Every publish goes through {@link TelemetryIngest}, and a QoS 1 PUBACK or QoS 2 PUBREC
 * is sent only once the ingest answered (for a stored message: once it is durable in the log).
 *
 * <p>Per connection, memory is bounded: packets larger than {@code mqtt.max_packet_size} are never
 * buffered, at most {@code mqtt.receive_maximum} publishes wait for the ingest before the socket is
 * no longer read, and a paused socket holds at most one read (16KiB) of decoded packets. Sessions
 * are kept in memory only (see {@link SessionStore} for their bound) and do not survive a restart.
 *
 * <p>Thread-safety: {@link #start}, {@link #stop} and {@link #boundAddress} are synchronized;
 * {@link #metrics} and {@link #commands} may be called from any thread.
 */
public final class MqttListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MqttListener.class);
  private static final Pattern GATEWAY_ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final long SESSION_SWEEP_SECONDS = 30;

  /**
   * Heap buffers for TLS connections, socket reads included. Netty hands the JDK's SSLEngine the
   * buffers its allocator gives, and the JDK's AES-GCM is markedly slower with direct buffers: its
   * GHASH runs the intrinsic on arrays only (measured on this JDK: 1.7 against 0.7 µs to open a
   * 250-byte record direct to direct, 1.5 against 0.7 µs to seal a kilobyte of PUBACKs). Heap
   * buffers cost one copy per socket read and write, far less.
   */
  private static final ByteBufAllocator TLS_BUFFERS = new HeapBuffers();

  /** Pooled heap buffers even for socket I/O, where Netty otherwise insists on direct ones. */
  private static final class HeapBuffers extends PooledByteBufAllocator {
    HeapBuffers() {
      super(false);
    }

    @Override
    public ByteBuf ioBuffer() {
      return heapBuffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
      return heapBuffer(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
      return heapBuffer(initialCapacity, maxCapacity);
    }
  }

  private final MqttConfig config;
  private final Optional<SslContext> tls;
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final ConnectionRegistry registry = new ConnectionRegistry();
  private final ListenerScope scope;
  private final CommandRouter commands;
  private EventLoopGroup acceptor;
  private EventLoopGroup workers;
  private Channel serverChannel;
  private boolean stopped;

  /**
   * @param config the listener's settings
   * @param tls the server TLS context (with client authentication for mTLS); empty only when {@code
   *     config.plaintext()} is true
   * @param authenticator turns client certificates and credentials into device identities
   * @param ingest where every publish and will goes
   * @param clock the time stamped on requests and used for session expiry and connection rates
   * @param gatewayId this gateway's id, {@code ^[A-Za-z0-9_-]{1,64}$}; part of assigned client ids
   * @throws ConfigException if TLS and {@code mqtt.plaintext} disagree
   */
  public MqttListener(
      MqttConfig config,
      Optional<SslContext> tls,
      DeviceAuthenticator authenticator,
      TelemetryIngest ingest,
      Clock clock,
      String gatewayId) {
    this.config = Objects.requireNonNull(config, "config");
    this.tls = Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(gatewayId, "gatewayId");
    if (tls.isEmpty() && !config.plaintext()) {
      throw new ConfigException("plaintext", "is false, so the listener needs a TLS context");
    }
    if (tls.isPresent() && config.plaintext()) {
      throw new ConfigException("plaintext", "is true, but a TLS context was given");
    }
    if (tls.isPresent() && tls.get().isClient()) {
      throw new IllegalArgumentException("the TLS context must be a server context");
    }
    if (!GATEWAY_ID.matcher(gatewayId).matches()) {
      throw new IllegalArgumentException("gatewayId must match " + GATEWAY_ID + ": " + gatewayId);
    }
    this.scope =
        new ListenerScope(
            config,
            new ConnectPolicy(config, authenticator, gatewayId),
            ingest,
            clock,
            metrics,
            new SessionStore(config.maxConnections(), clock),
            registry,
            new ConnectionGate(config.maxConnections(), config.maxConnectionsPerSecond(), clock),
            new WillPublisher(ingest, clock, metrics),
            new ConnectivityEvents(ingest, clock, metrics));
    this.commands = new CommandRouter(registry);
  }

  /**
   * Binds and starts accepting connections.
   *
   * @return the bound address (with the chosen port when {@code mqtt.port} is 0)
   * @throws UnableToStartListenerException if the address cannot be bound
   * @throws IllegalStateException if already started or stopped
   */
  public synchronized InetSocketAddress start() {
    if (serverChannel != null || stopped) {
      throw new IllegalStateException("the MQTT listener can be started once");
    }
    acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("mqtt-accept", true));
    // One event loop per core, not Netty's two: the loops never block (dead letters and the log's
    // forces run elsewhere), so a second loop per core only adds wake-ups and context switches.
    workers =
        new NioEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), new DefaultThreadFactory("mqtt-io", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, workers)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childOption(
                ChannelOption.ALLOCATOR, tls.isPresent() ? TLS_BUFFERS : ByteBufAllocator.DEFAULT)
            .childOption(
                ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(64, 1024, 16_384))
            .childOption(
                ChannelOption.WRITE_BUFFER_WATER_MARK,
                new WriteBufferWaterMark(32 * 1024, 64 * 1024))
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    buildPipeline(channel);
                  }
                });
    InetSocketAddress requested = new InetSocketAddress(config.bindHost(), config.port());
    try {
      serverChannel = bootstrap.bind(requested).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      shutdownGroups();
      throw new UnableToStartListenerException("cannot listen for MQTT on " + requested, e);
    }
    workers
        .next()
        .scheduleAtFixedRate(
            this::expireSessions, SESSION_SWEEP_SECONDS, SESSION_SWEEP_SECONDS, TimeUnit.SECONDS);
    InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
    log.info("MQTT listener on {} ({})", bound, tls.isPresent() ? "TLS" : "plaintext");
    return bound;
  }

  /** The bound address. */
  public synchronized InetSocketAddress boundAddress() {
    if (serverChannel == null) {
      throw new IllegalStateException("the MQTT listener is not started");
    }
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /**
   * Whether the listener is bound and accepting now: started, not stopped, its socket open. For the
   * readiness check; never blocks on I/O.
   */
  public synchronized boolean listening() {
    return !stopped && serverChannel != null && serverChannel.isActive();
  }

  /**
   * Stops accepting, tells MQTT 5 clients the server is shutting down (DISCONNECT 0x8B), closes
   * every connection and releases the threads. Wills are not published for a shutdown. Idempotent.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
      for (MqttConnection connection : registry.all()) {
        connection.shutdown();
      }
    }
    shutdownGroups();
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Closes every accepted connection whose client certificate {@code revocation} says is revoked,
   * with reason {@code certificate_revoked} (MQTT 5 clients get DISCONNECT 0x87 first; the
   * disconnect is counted and recorded as a connectivity event). Returns how many it closed. Safe
   * from any thread; the closes happen on the connections' event loops.
   */
  public int dropRevoked(RevocationCheck revocation) {
    Objects.requireNonNull(revocation, "revocation");
    int dropped = 0;
    for (MqttConnection connection : registry.all()) {
      if (connection.dropIfRevoked(revocation)) {
        dropped++;
      }
    }
    return dropped;
  }

  /** A snapshot of the listener's counters. */
  public MqttMetrics metrics() {
    return metrics.snapshot();
  }

  /** Sends commands to connected devices. */
  public CommandPublisher commands() {
    return commands;
  }

  private void buildPipeline(SocketChannel channel) {
    Optional<ConnectRefusal> refusal = scope.gate().admit();
    boolean lingering = refusal.isPresent() && scope.gate().mayLinger();
    int maxPacketBytes = (int) config.maxPacketSize().bytes();
    ChannelPipeline pipeline = channel.pipeline();
    if (tls.isPresent()) {
      SslHandler handler = tls.get().newHandler(channel.alloc());
      handler.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
      pipeline.addLast("tls", handler);
    }
    FrameGuard guard = new FrameGuard(maxPacketBytes, metrics);
    pipeline.addLast("frame-guard", guard);
    pipeline.addLast(
        "decoder", new MqttDecoder(maxPacketBytes, ConnectPolicy.MAX_CLIENT_ID_CHARS, true));
    pipeline.addLast("decoded-counter", guard.decodedCounter());
    pipeline.addLast(MqttConnection.FLOW_CONTROL, new FlowControlHandler());
    pipeline.addLast("encoder", MqttEncoder.INSTANCE);
    pipeline.addLast("connection", new MqttConnection(scope, refusal, lingering));
  }

  private void expireSessions() {
    try {
      scope.sessions().expire().forEach(Runnable::run);
    } catch (RuntimeException e) {
      // A failed sweep must not cancel the schedule; the next one tries again.
      metrics.unexpectedError();
      log.error("expiring MQTT sessions failed", e);
    }
  }

  private void shutdownGroups() {
    if (acceptor != null) {
      acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
    if (workers != null) {
      // The quiet period lets the DISCONNECTs queued above reach the wire.
      workers.shutdownGracefully(100, 3_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }
  }
}
