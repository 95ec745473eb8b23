package io.auditgate.web;

import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.WebConfig;
import io.auditgate.web.http.Router;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane's HTTPS server on Netty: whatever {@link Router} it is given (the fleet API,
 * the operations endpoints, the dashboard's files; {@link WebRoutes} assembles them).
 *
 * <p>Threads: Netty event loops read and write; each complete request is handed to a bounded pool
 * of {@code worker_threads} because handlers block on the database. When the pool's queue is full
 * the request is answered 503 {@code unavailable} at once rather than queued without bound.
 *
 * <p>Bounded memory: at most {@code max_connections} connections, each holding at most one request
 * of {@code max_body_size} (larger ones are answered 413); request lines ≤ 32 KiB, headers ≤ 8 KiB.
 *
 * <p>Thread-safety: {@link #start()} and {@link #close()} may be called from any thread.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  static final List<String> TLS_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final int QUEUED_REQUESTS = 512;

  /**
   * Request line limit: long enough for a page of device ids in one {@code readings/latest} query
   * (the dashboard's way of avoiding a request per device).
   */
  static final int MAX_INITIAL_LINE_BYTES = 32 * 1024;

  private final WebConfig config;
  private final Optional<SslContext> sslContext;
  private final Router router;
  private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  private final AtomicInteger openConnections = new AtomicInteger();

  private EventLoopGroup acceptGroup;
  private EventLoopGroup ioGroup;
  private ThreadPoolExecutor workers;
  private Channel serverChannel;
  private InetSocketAddress address;
  private boolean closed;

  /**
   * Prepares the server; nothing is bound until {@link #start()}.
   *
   * @param sslContext a server-side TLS context; TLS is served when present
   * @throws ConfigException ({@code web.allow_plaintext}) when there is no TLS context and
   *     plaintext was not opted into
   */
  public WebServer(WebConfig config, Optional<SslContext> sslContext, Router router) {
    this.config = Objects.requireNonNull(config, "config");
    this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
    this.router = Objects.requireNonNull(router, "router");
    if (sslContext.isEmpty() && !config.allowPlaintext()) {
      throw new ConfigException(
          "web.allow_plaintext",
          "the node has no tls section, and serving API tokens in plaintext must be opted into"
              + " by setting web.allow_plaintext to true");
    }
    sslContext.ifPresent(
        ssl -> {
          if (!ssl.isServer()) {
            throw new IllegalArgumentException("the TLS context must be a server context");
          }
        });
  }

  /**
   * Binds and starts serving.
   *
   * @return the bound address (the real port when the configured port is 0)
   * @throws IllegalStateException if already started or closed
   * @throws UncheckedIOException if the address cannot be bound
   */
  public synchronized InetSocketAddress start() {
    if (closed || serverChannel != null) {
      throw new IllegalStateException(closed ? "the server is closed" : "already started");
    }
    AtomicInteger workerIds = new AtomicInteger();
    workers =
        new ThreadPoolExecutor(
            config.workerThreads(),
            config.workerThreads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUED_REQUESTS),
            r -> {
              Thread t = new Thread(r, "web-worker-" + workerIds.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    acceptGroup = new NioEventLoopGroup(1, new DefaultThreadFactory("web-accept", true));
    ioGroup = new NioEventLoopGroup(2, new DefaultThreadFactory("web-io", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptGroup, ioGroup)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 256)
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
      shutDown();
      Throwable cause = bound.cause();
      throw new UncheckedIOException(
          "cannot listen on " + config.bindHost() + ":" + config.port() + ": " + cause,
          cause instanceof IOException io ? io : new IOException(cause));
    }
    serverChannel = bound.channel();
    address = (InetSocketAddress) serverChannel.localAddress();
    if (sslContext.isPresent()) {
      log.info("web server (API, dashboard, /metrics) listening on https://{}", hostPort());
    } else {
      log.warn(
          "web server listening on http://{} WITHOUT TLS (web.allow_plaintext): API tokens travel"
              + " in the clear; the audit reports this",
          hostPort());
    }
    return address;
  }

  /** The bound address. @throws IllegalStateException if not started */
  public synchronized InetSocketAddress address() {
    if (address == null) {
      throw new IllegalStateException("not started");
    }
    return address;
  }

  /** {@code https://host:port} (or {@code http://} when plaintext was opted into). */
  public String baseUrl() {
    return (tlsEnabled() ? "https://" : "http://") + hostPort();
  }

  public boolean tlsEnabled() {
    return sslContext.isPresent();
  }

  private String hostPort() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Stops listening, closes every connection, stops the workers. Idempotent. */
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
    shutDown();
  }

  private void shutDown() {
    for (EventLoopGroup group : Arrays.asList(acceptGroup, ioGroup)) {
      if (group != null) {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
      }
    }
    if (workers != null) {
      workers.shutdownNow();
    }
  }

  private void initConnection(SocketChannel channel) {
    if (openConnections.incrementAndGet() > config.maxConnections()) {
      openConnections.decrementAndGet();
      log.warn(
          "refused a connection from {}: {} connections are open (web.max_connections)",
          channel.remoteAddress(),
          config.maxConnections());
      channel.close();
      return;
    }
    channel.closeFuture().addListener(f -> openConnections.decrementAndGet());
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
                .setMaxHeaderSize(8192)
                .setMaxChunkSize(8192)));
    pipeline.addLast("body", new BoundedAggregator((int) config.maxBodySize().bytes()));
    pipeline.addLast("requests", new RequestHandler(router, workers));
  }

  private static SslHandler newSslHandler(SslContext ssl, ByteBufAllocator alloc) {
    SslHandler handler = ssl.newHandler(alloc);
    SSLEngine engine = handler.engine();
    engine.setEnabledProtocols(
        Arrays.stream(engine.getEnabledProtocols())
            .filter(TLS_PROTOCOLS::contains)
            .toArray(String[]::new));
    return handler;
  }
}
