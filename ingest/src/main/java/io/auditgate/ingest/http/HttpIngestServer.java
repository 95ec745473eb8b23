package io.auditgate.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.ingest.auth.RevocationCheck;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS ingest listener: {@code POST /v1/ingest/{deviceId}} (one message), {@code POST
 * /v1/ingest/{deviceId}/batch} (a JSON array of messages), {@code GET /healthz}, {@code GET
 * /readyz} and {@code GET /docs/openapi.json}, on Netty. Status codes are listed in {@link
 * HttpMapping}'s table and in the OpenAPI document.
 *
 * <p>A message is answered 202 only once the {@link TelemetryIngest} has answered {@code Stored},
 * that is once it is durable in the write-ahead log. A device proves who it is with a client
 * certificate (verified by the TLS handshake against the {@link SslContext}'s trust anchors) or a
 * bearer token, and may only send as itself.
 *
 * <p>A device that authenticates with a client certificate is recorded as a {@code
 * certificate_presented} device event, at most once per TLS connection and once per {@link
 * #CERTIFICATE_EVENT_INTERVAL} per (device, certificate), so that the certificate inventory sees
 * certificates presented here as it sees those presented at the MQTT listener.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} may be called from any thread; {@link
 * #metrics()} and {@link #address()} at any time. Requests are served on Netty event loops and
 * never block them: the ingest answers asynchronously.
 *
 * <p>Bounded memory: at most {@code max_connections} connections, each holding at most one request
 * body ({@code max_body_size}) plus one socket read; request lines are capped at 4096 bytes and
 * headers at 8192.
 */
public final class HttpIngestServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpIngestServer.class);

  /** Protocols the listener speaks, whatever the TLS context enables; older ones are broken. */
  static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  static final int MAX_INITIAL_LINE_BYTES = 4096;
  static final int MAX_HEADER_BYTES = 8192;
  static final String OPENAPI_RESOURCE = "openapi.json";

  /**
   * How long a (device, certificate) pair reported as presented is not reported again. Long enough
   * that a device on a new connection per request writes a handful of events an hour; short enough
   * that the inventory's last-seen stays within minutes of the truth.
   */
  public static final Duration CERTIFICATE_EVENT_INTERVAL = Duration.ofMinutes(10);

  private final HttpIngestConfig config;
  private final Optional<SslContext> sslContext;
  private final ListenerContext context;
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private EventLoopGroup acceptGroup;
  private EventLoopGroup ioGroup;
  private Channel serverChannel;
  private InetSocketAddress address;
  private boolean closed;

  /**
   * Prepares a listener; nothing is bound until {@link #start()}.
   *
   * @param config the {@code http} section
   * @param sslContext a server-side context: TLS is served when present. Configure it with {@code
   *     ClientAuth.OPTIONAL} so devices may use either a client certificate or a bearer token. Only
   *     TLS 1.3 and 1.2 are spoken whatever it enables.
   * @param authenticator turns certificates and tokens into devices
   * @param ingest where messages go
   * @param readiness what {@code GET /readyz} reports
   * @param clock stamps {@code receivedAt} and drives the rate limit
   * @throws ConfigException ({@code plaintext_allowed}) if no TLS context is given and plaintext
   *     was not opted into
   * @throws IllegalArgumentException if the TLS context is a client context or enables neither TLS
   *     1.3 nor 1.2
   */
  public HttpIngestServer(
      HttpIngestConfig config,
      Optional<SslContext> sslContext,
      DeviceAuthenticator authenticator,
      TelemetryIngest ingest,
      Readiness readiness,
      Clock clock) {
    this(config, sslContext, authenticator, ingest, readiness, clock, CERTIFICATE_EVENT_INTERVAL);
  }

  /**
   * As above, with the interval within which a (device, certificate) pair is reported once (tests
   * shorten it).
   */
  HttpIngestServer(
      HttpIngestConfig config,
      Optional<SslContext> sslContext,
      DeviceAuthenticator authenticator,
      TelemetryIngest ingest,
      Readiness readiness,
      Clock clock,
      Duration certificateEventInterval) {
    this.config = Objects.requireNonNull(config, "config");
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(readiness, "readiness");
    Objects.requireNonNull(clock, "clock");
    if (sslContext.isEmpty() && !config.plaintextAllowed()) {
      throw new ConfigException(
          "plaintext_allowed",
          "no TLS context is configured, and serving device credentials and telemetry in"
              + " plaintext must be opted into by setting plaintext_allowed to true");
    }
    sslContext.ifPresent(HttpIngestServer::checkServerSide);
    this.context =
        new ListenerContext(
            config,
            authenticator,
            ingest,
            readiness,
            clock,
            metrics,
            new DeviceRateLimiter(config.deviceRequestsPerSecond(), clock),
            new CertificateEvents(ingest, clock, metrics, certificateEventInterval),
            loadOpenApi());
  }

  /**
   * Binds the listener and starts serving.
   *
   * @return the bound address (with the real port when the configured port is 0)
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException if the address cannot be bound
   */
  public synchronized InetSocketAddress start() {
    if (closed || serverChannel != null) {
      throw new IllegalStateException(closed ? "the listener is closed" : "already started");
    }
    acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("http-ingest-accept", true));
    ioGroup = new NioEventLoopGroup(0, new DefaultThreadFactory("http-ingest-io", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptGroup, ioGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            // Reads are requested one message at a time by RequestHandler; see its Javadoc.
            .childOption(ChannelOption.AUTO_READ, false)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    initConnection(channel);
                  }
                });
    ChannelFuture bound = bootstrap.bind(config.bindHost(), config.port()).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      shutDownGroups();
      Throwable cause = bound.cause();
      throw new UncheckedIOException(
          "cannot listen on " + config.bindHost() + ":" + config.port() + ": " + cause,
          cause instanceof IOException io ? io : new IOException(cause));
    }
    serverChannel = bound.channel();
    address = (InetSocketAddress) serverChannel.localAddress();
    log.info(
        "HTTPS ingest listening on {} ({})",
        address,
        sslContext.isPresent() ? "TLS" : "PLAINTEXT, opted in by plaintext_allowed");
    return address;
  }

  /** The bound address. @throws IllegalStateException if not started */
  public synchronized InetSocketAddress address() {
    if (address == null) {
      throw new IllegalStateException("not started");
    }
    return address;
  }

  /**
   * Whether the listener is bound and accepting now: started, not closed, its socket open. For the
   * readiness check; never blocks on I/O.
   */
  public synchronized boolean listening() {
    return !closed && serverChannel != null && serverChannel.isActive();
  }

  /** Whether the listener serves TLS (false only when plaintext was opted into). */
  public boolean tlsEnabled() {
    return sslContext.isPresent();
  }

  public HttpIngestMetrics metrics() {
    return metrics.snapshot();
  }

  /**
   * Closes every open connection (an HTTPS keep-alive connection between requests, or one with a
   * request in progress) whose client certificate {@code revocation} says is revoked; returns how
   * many it closed. A request in progress on it gets no answer, and the device retries with its
   * next connection, which the handshake then refuses. Safe from any thread; never blocks.
   */
  public int dropRevoked(RevocationCheck revocation) {
    Objects.requireNonNull(revocation, "revocation");
    int dropped = 0;
    for (Channel channel : channels) {
      SslHandler tls = channel.pipeline().get(SslHandler.class);
      if (tls == null || !tls.handshakeFuture().isSuccess()) {
        continue;
      }
      List<X509Certificate> chain;
      try {
        chain =
            Arrays.stream(tls.engine().getSession().getPeerCertificates())
                .filter(X509Certificate.class::isInstance)
                .map(X509Certificate.class::cast)
                .toList();
      } catch (SSLPeerUnverifiedException noClientCertificate) {
        continue;
      }
      if (!chain.isEmpty() && revocation.isRevoked(chain.get(0), chain)) {
        log.info(
            "closed the HTTPS connection from {}: certificate_revoked ({})",
            channel.remoteAddress(),
            chain.get(0).getSubjectX500Principal());
        channel.close();
        dropped++;
      }
    }
    return dropped;
  }

  /**
   * Stops listening and closes every connection. Messages the ingest already stored stay stored;
   * answers still in flight are lost, and their devices resend (the log's idempotency key makes
   * that harmless). Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
    channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    shutDownGroups();
  }

  private void shutDownGroups() {
    for (EventLoopGroup group : Arrays.asList(acceptGroup, ioGroup)) {
      if (group != null) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
      }
    }
  }

  private void initConnection(SocketChannel channel) {
    if (!metrics.tryOpenConnection(config.maxConnections())) {
      log.warn(
          "refused a connection from {}: {} connections are open (max_connections)",
          channel.remoteAddress(),
          config.maxConnections());
      channel.close();
      return;
    }
    channel.closeFuture().addListener(f -> metrics.connectionClosed());
    channels.add(channel);
    ChannelPipeline pipeline = channel.pipeline();
    sslContext.ifPresent(ssl -> pipeline.addLast("tls", newSslHandler(ssl, channel.alloc())));
    pipeline.addLast(
        "idle", new IdleStateHandler(0, 0, config.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
    pipeline.addLast(
        "http",
        new HttpServerCodec(
            new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_INITIAL_LINE_BYTES)
                .setMaxHeaderSize(MAX_HEADER_BYTES)
                .setMaxChunkSize(8192)));
    pipeline.addLast("one-at-a-time", new FlowControlHandler());
    pipeline.addLast("requests", new RequestHandler(context));
  }

  private static SslHandler newSslHandler(SslContext ssl, ByteBufAllocator alloc) {
    SslHandler handler = ssl.newHandler(alloc);
    handler.engine().setEnabledProtocols(allowedProtocols(handler.engine()));
    return handler;
  }

  private static String[] allowedProtocols(SSLEngine engine) {
    return Arrays.stream(engine.getEnabledProtocols())
        .filter(TLS_PROTOCOLS::contains)
        .toArray(String[]::new);
  }

  private static void checkServerSide(SslContext ssl) {
    if (!ssl.isServer()) {
      throw new IllegalArgumentException("the TLS context must be a server context");
    }
    SSLEngine probe = ssl.newEngine(ByteBufAllocator.DEFAULT);
    try {
      if (allowedProtocols(probe).length == 0) {
        throw new IllegalArgumentException(
            "the TLS context enables "
                + Arrays.toString(probe.getEnabledProtocols())
                + " but the listener speaks only "
                + TLS_PROTOCOLS);
      }
    } finally {
      // OpenSSL engines hold native memory until released; JDK engines ignore this.
      ReferenceCountUtil.release(probe);
    }
  }

  /** The OpenAPI document, parsed once so that a broken resource fails at start, not per call. */
  private static JsonNode loadOpenApi() {
    try (InputStream in = HttpIngestServer.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + OPENAPI_RESOURCE + " is missing");
      }
      return HttpMapping.JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + OPENAPI_RESOURCE, e);
    }
  }
}
