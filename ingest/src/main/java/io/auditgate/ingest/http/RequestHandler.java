package io.auditgate.ingest.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests, one at a time.
 *
 * <p>The channel runs with auto-read off behind a {@code FlowControlHandler}, and this handler asks
 * for the next message only when it wants one. A pipelining client's next request therefore waits,
 * in the socket or already decoded in the {@code FlowControlHandler}, until the current one is
 * answered: responses go out in request order without a reorder buffer, and a connection holds at
 * most one body ({@code max_body_size}) and what one socket read brought.
 *
 * <p>A request is checked when its head arrives (route, credentials, device, rate, size, type). A
 * refused request's body is read and thrown away, never buffered, and the answer is sent at its end
 * so the connection stays usable; when the body would be too large, or the client waits for {@code
 * 100 Continue}, the answer goes out at once with {@code Connection: close}, and the connection is
 * drained for a while before it is closed so that the client can read the answer rather than a TCP
 * reset.
 *
 * <p>Every failure ends in a response or a close here; nothing reaches Netty's tail handler.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

  /** How long a connection answered early is drained before it is closed anyway. */
  static final Duration DRAIN_TIME = Duration.ofSeconds(2);

  private static final Set<String> MEDIA_TYPES =
      Set.of("application/json", "application/senml+json");

  private enum State {
    /** Between requests: waiting for the next request head. */
    AWAITING_HEAD,
    /** Reading the body of an accepted request. */
    READING_BODY,
    /** Reading and dropping the body of a refused request; {@link #refusal} answers it. */
    DISCARDING_BODY,
    /** The request was handed on; waiting for the answer and then for it to be written. */
    ANSWERING,
    /** Answered with {@code Connection: close}; reading and dropping whatever still arrives. */
    DRAINING,
    CLOSED
  }

  private final ListenerContext context;
  private State state = State.AWAITING_HEAD;
  private List<X509Certificate> peerChain = List.of();
  // A connection's certificate is reported once, at its first authenticated request.
  private boolean certificateReported;
  private long drainedBytes;
  private ScheduledFuture<?> drainTimer;

  // The request being read. Reset when its head arrives.
  private String path;
  private Route.Found route;
  private HttpMapping.Answer refusal;
  private boolean keepAlive;
  private boolean http10;
  private boolean requestComplete;
  private boolean answered;
  private Instant receivedAt;
  private Optional<String> traceId;
  private DeviceIdentity identity;
  private byte[] body;
  private int bodyLength;
  private long bodyBytesSeen;

  RequestHandler(ListenerContext context) {
    this.context = context;
  }

  // ---------------------------------------------------------------- channel events

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.read();
    ctx.fireChannelActive();
  }

  /**
   * The read asked for last is over, with or without a message (a TLS handshake record, half a
   * header): ask for another while a request is being read. This is the only place reads are
   * renewed, so at most one is outstanding.
   */
  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (state == State.AWAITING_HEAD
        || state == State.READING_BODY
        || state == State.DISCARDING_BODY
        || state == State.DRAINING) {
      ctx.read();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    state = State.CLOSED;
    if (drainTimer != null) {
      drainTimer.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof SslHandshakeCompletionEvent handshake) {
      if (handshake.isSuccess()) {
        peerChain = peerChainOf(ctx);
      } else {
        context.metrics().tlsHandshakeFailed();
        log.debug(
            "TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), handshake.cause());
        ctx.close();
      }
    } else if (event instanceof IdleStateEvent) {
      onIdle(ctx);
    }
    ReferenceCountUtil.release(event);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest head) {
        onHead(ctx, head);
      }
      if (msg instanceof HttpContent content) {
        onContent(ctx, content);
      }
    } catch (RuntimeException e) {
      log.error("bug: request from {} failed in the listener", ctx.channel().remoteAddress(), e);
      if (answered) {
        ctx.close();
      } else {
        respond(ctx, HttpMapping.internalError().closing());
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // TLS alerts, resets and decoder trouble below the HTTP codec: nothing to answer, log quietly.
    log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }

  private void onIdle(ChannelHandlerContext ctx) {
    switch (state) {
      case AWAITING_HEAD, DRAINING -> ctx.close();
      case READING_BODY, DISCARDING_BODY -> respond(ctx, HttpMapping.requestTimeout());
      case ANSWERING -> {
        // The ingest promises an answer; a log stuck in a force must still not hold the device
        // forever. It may yet store the message, so the device is told to resend (the idempotency
        // key makes a duplicate harmless) and the connection closes, so that the late answer
        // cannot be taken for the next request's.
        if (!answered) {
          context.metrics().busy();
          respond(
              ctx,
              HttpMapping.busy(
                      "the write-ahead log did not answer in time; the message may not be stored",
                      Duration.ofSeconds(1))
                  .closing());
        }
      }
      default -> {
        // Closed: nothing to do.
      }
    }
  }

  // ---------------------------------------------------------------- reading a request

  private void onHead(ChannelHandlerContext ctx, HttpRequest head) {
    if (state == State.DRAINING || state == State.CLOSED) {
      return;
    }
    if (state != State.AWAITING_HEAD) {
      // Only reachable if a read was requested out of turn; answering now would break ordering.
      log.error(
          "bug: request head from {} arrived in state {}", ctx.channel().remoteAddress(), state);
      ctx.close();
      state = State.CLOSED;
      return;
    }
    path = head.uri();
    answered = false;
    route = null;
    refusal = null;
    identity = null;
    body = null;
    bodyLength = 0;
    bodyBytesSeen = 0;
    requestComplete = false;
    keepAlive = HttpUtil.isKeepAlive(head);
    http10 = HttpVersion.HTTP_1_0.equals(head.protocolVersion());
    receivedAt = context.clock().instant();
    traceId = TraceParent.traceId(head.headers().getAll("traceparent"));

    if (head.decoderResult().isFailure()) {
      respond(ctx, HttpMapping.malformed(head.decoderResult().cause()));
      return;
    }
    Route matched = Route.of(head.method(), head.uri());
    HttpMapping.Answer refused;
    if (matched instanceof Route.NotFound notFound) {
      refused = HttpMapping.notFound(notFound.path());
    } else if (matched instanceof Route.WrongMethod wrong) {
      refused = HttpMapping.methodNotAllowed(wrong.endpoint());
    } else {
      route = (Route.Found) matched;
      path = route.endpoint().takesTelemetry() ? pathOf(route) : route.endpoint().template();
      refused = check(head, route);
    }
    long contentLength = HttpUtil.getContentLength(head, -1L);
    boolean expectsContinue = HttpUtil.is100ContinueExpected(head);
    if (refused == null && contentLength > context.maxBodyBytes()) {
      refused = HttpMapping.tooLarge(context.maxBodyBytes()).closing();
    }
    if (refused != null) {
      if (refused.close() || expectsContinue || contentLength > context.maxBodyBytes()) {
        respond(ctx, refused.closing());
      } else {
        refusal = refused;
        state = State.DISCARDING_BODY;
      }
      return;
    }
    if (route.endpoint().takesTelemetry()) {
      int expected = contentLength >= 0 ? (int) contentLength : 1024;
      body = new byte[Math.max(16, expected)];
    }
    state = State.READING_BODY;
    if (expectsContinue) {
      ctx.writeAndFlush(
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
  }

  /** The checks a telemetry request must pass before its body is worth reading; null if passed. */
  private HttpMapping.Answer check(HttpRequest head, Route.Found found) {
    String expect = head.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
      return HttpMapping.expectationFailed();
    }
    if (!found.endpoint().takesTelemetry()) {
      return null;
    }
    String deviceId = found.deviceId().orElseThrow();
    Authentication.Outcome outcome =
        Authentication.authenticate(
            context.authenticator(),
            head.headers().getAll(HttpHeaderNames.AUTHORIZATION),
            peerChain,
            deviceId);
    if (outcome instanceof Authentication.Refused refused) {
      return HttpMapping.unauthenticated(refused);
    }
    identity = ((Authentication.Authenticated) outcome).identity();
    reportCertificate();
    if (!identity.deviceId().equals(deviceId)) {
      return HttpMapping.wrongDevice(identity.deviceId(), deviceId);
    }
    Optional<Duration> wait = context.rateLimiter().tryAcquire(deviceId);
    if (wait.isPresent()) {
      return HttpMapping.rateLimited(deviceId, wait.get());
    }
    String encoding = head.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
      return HttpMapping.unsupportedMediaType(
          "Content-Encoding '"
              + HttpMapping.truncate(encoding)
              + "' is not supported; send the JSON uncompressed");
    }
    String type = head.headers().get(HttpHeaderNames.CONTENT_TYPE);
    String mediaType = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!MEDIA_TYPES.contains(mediaType)) {
      return HttpMapping.unsupportedMediaType(
          (type == null
                  ? "no Content-Type"
                  : "Content-Type '" + HttpMapping.truncate(type) + "' is not supported")
              + "; send application/json or application/senml+json");
    }
    return null;
  }

  /**
   * Reports the connection's client certificate once it has identified a device, whatever becomes
   * of the request (another device's path, the rate limit): the certificate was presented and
   * verified either way.
   */
  private void reportCertificate() {
    if (certificateReported
        || peerChain.isEmpty()
        || identity.method() != DeviceIdentity.Method.CLIENT_CERTIFICATE) {
      return;
    }
    certificateReported = true;
    try {
      context.certificateEvents().presented(identity, peerChain.get(0));
    } catch (RuntimeException e) {
      // Never the request's problem: the sighting is evidence, the telemetry is the service.
      log.warn("could not report the client certificate of {}", identity.deviceId(), e);
    }
  }

  private void onContent(ChannelHandlerContext ctx, HttpContent content) {
    if (state == State.DRAINING) {
      drainedBytes += content.content().readableBytes();
      // Past this much the client is not going to read the answer; stop paying for it.
      if (drainedBytes > 4 * context.maxBodyBytes() + 65_536) {
        ctx.close();
      }
      return;
    }
    if (state != State.READING_BODY && state != State.DISCARDING_BODY) {
      return;
    }
    if (content.decoderResult().isFailure()) {
      respond(ctx, HttpMapping.malformed(content.decoderResult().cause()));
      return;
    }
    ByteBuf bytes = content.content();
    int n = bytes.readableBytes();
    bodyBytesSeen += n;
    context.metrics().bodyBytes(n);
    if (bodyBytesSeen > context.maxBodyBytes()) {
      respond(
          ctx,
          state == State.DISCARDING_BODY
              ? refusal.closing()
              : HttpMapping.tooLarge(context.maxBodyBytes()).closing());
      return;
    }
    if (state == State.READING_BODY && body != null && n > 0) {
      if (bodyLength + n > body.length) {
        body = Arrays.copyOf(body, (int) Math.min(context.maxBodyBytes(), 2L * (bodyLength + n)));
      }
      bytes.readBytes(body, bodyLength, n);
      bodyLength += n;
    }
    if (content instanceof LastHttpContent) {
      requestComplete = true;
      if (state == State.DISCARDING_BODY) {
        respond(ctx, refusal);
      } else {
        dispatch(ctx);
      }
    }
  }

  // ---------------------------------------------------------------- answering

  private void dispatch(ChannelHandlerContext ctx) {
    state = State.ANSWERING;
    switch (route.endpoint()) {
      case HEALTH -> respond(ctx, HttpMapping.healthy());
      case READY -> respond(ctx, readiness());
      case OPENAPI -> respond(ctx, HttpMapping.document(context.openApi()));
      case INGEST -> ingestOne(ctx);
      case BATCH -> ingestBatch(ctx);
    }
  }

  private HttpMapping.Answer readiness() {
    try {
      Optional<String> reason = context.readiness().notReadyReason();
      return reason.map(HttpMapping::notReady).orElseGet(HttpMapping::ready);
    } catch (RuntimeException e) {
      log.warn("readiness check failed", e);
      return HttpMapping.notReady("the readiness check failed: " + e);
    }
  }

  private void ingestOne(ChannelHandlerContext ctx) {
    byte[] message = Arrays.copyOf(body, bodyLength);
    body = null;
    submit(request(message))
        .whenComplete(
            (result, failure) ->
                onEventLoop(
                    ctx,
                    () -> {
                      if (failure != null) {
                        log.error("bug: the ingest failed for a message on {}", path, failure);
                        respond(ctx, HttpMapping.internalError());
                      } else {
                        count(result);
                        respond(ctx, HttpMapping.forResult(result));
                      }
                    }));
  }

  /**
   * Hands the items to the ingest in array order without waiting for each to be durable, so a batch
   * shares the log's group commits instead of paying one force per item. Stops at an item answered
   * busy at once: the log is full, so the rest would be refused too, and stopping keeps the stored
   * items a prefix of the batch.
   */
  private void ingestBatch(ChannelHandlerContext ctx) {
    byte[] whole = Arrays.copyOf(body, bodyLength);
    body = null;
    BatchSplitter.Split split = BatchSplitter.split(whole, context.config().maxBatchItems());
    if (split instanceof BatchSplitter.Invalid invalid) {
      respond(ctx, HttpMapping.invalidBatch(invalid.message()));
      return;
    }
    if (split instanceof BatchSplitter.TooManyItems tooMany) {
      respond(ctx, HttpMapping.tooManyItems(tooMany.max()));
      return;
    }
    List<byte[]> items = ((BatchSplitter.Items) split).items();
    List<CompletableFuture<IngestResult>> submitted = new ArrayList<>(items.size());
    for (byte[] item : items) {
      CompletableFuture<IngestResult> future = submit(request(item));
      submitted.add(future);
      if (future.isDone()
          && !future.isCompletedExceptionally()
          && future.join() instanceof IngestResult.Busy) {
        break;
      }
    }
    CompletableFuture.allOf(submitted.toArray(new CompletableFuture<?>[0]))
        .whenComplete(
            (ignored, anyFailure) ->
                onEventLoop(
                    ctx,
                    () -> {
                      List<HttpMapping.Item> outcomes = new ArrayList<>(items.size());
                      for (CompletableFuture<IngestResult> future : submitted) {
                        outcomes.add(outcome(future));
                      }
                      while (outcomes.size() < items.size()) {
                        outcomes.add(new HttpMapping.NotAttempted());
                        context.metrics().busy();
                      }
                      respond(ctx, HttpMapping.forBatch(outcomes));
                    }));
  }

  private HttpMapping.Item outcome(CompletableFuture<IngestResult> future) {
    try {
      IngestResult result = future.join();
      count(result);
      return new HttpMapping.Done(result);
    } catch (RuntimeException e) {
      log.error("bug: the ingest failed for a batch item on {}", path, e);
      return new HttpMapping.Failed(e);
    }
  }

  private IngestRequest request(byte[] message) {
    return new IngestRequest(
        identity, IngestRequest.Transport.HTTP, path, message, receivedAt, traceId);
  }

  /** The ingest's answer as a future; a throw or a null is a bug, reported as a failed future. */
  private CompletableFuture<IngestResult> submit(IngestRequest request) {
    TelemetryIngest ingest = context.ingest();
    CompletableFuture<IngestResult> result = new CompletableFuture<>();
    try {
      CompletionStage<IngestResult> stage = ingest.ingest(request);
      if (stage == null) {
        result.completeExceptionally(new NullPointerException("the ingest returned no stage"));
        return result;
      }
      stage.whenComplete(
          (answer, failure) -> {
            if (failure != null) {
              result.completeExceptionally(failure);
            } else if (answer == null) {
              result.completeExceptionally(new NullPointerException("the ingest answered null"));
            } else {
              result.complete(answer);
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
    return result;
  }

  private void count(IngestResult result) {
    if (result instanceof IngestResult.Stored) {
      context.metrics().stored();
    } else if (result instanceof IngestResult.Rejected) {
      context.metrics().rejected();
    } else {
      context.metrics().busy();
    }
  }

  /**
   * Runs {@code task} on the connection's event loop, after whatever it is doing now: the ingest
   * answers on a log thread, and running there, or re-entering a read in progress, would race the
   * connection's state.
   */
  private static void onEventLoop(ChannelHandlerContext ctx, Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      // The listener is shutting down; the connection is closing and the answer has no reader.
      log.debug("answer dropped on shutdown: {}", e.toString());
    }
  }

  /**
   * Writes the answer. A keep-alive connection then asks for the next request; one that must close
   * closes after the write if the request was read to its end, else drains first.
   */
  private void respond(ChannelHandlerContext ctx, HttpMapping.Answer answer) {
    if (answered) {
      // Only a late ingest answer after the idle timeout answered for it; see onIdle.
      return;
    }
    answered = true;
    if (state == State.CLOSED || !ctx.channel().isActive()) {
      state = State.CLOSED;
      return;
    }
    boolean close = answer.close() || !keepAlive;
    FullHttpResponse response = toResponse(answer, close);
    context.metrics().responded(answer.status().code());
    boolean drain = close && !requestComplete;
    state = drain ? State.DRAINING : State.ANSWERING;
    ctx.writeAndFlush(response)
        .addListener(
            (ChannelFutureListener)
                written -> {
                  if (!written.isSuccess()) {
                    log.debug(
                        "answer to {} not written: {}",
                        ctx.channel().remoteAddress(),
                        written.cause().toString());
                    ctx.close();
                  } else if (drain) {
                    drainTimer =
                        ctx.executor()
                            .schedule(
                                () -> {
                                  ctx.close();
                                },
                                DRAIN_TIME.toMillis(),
                                TimeUnit.MILLISECONDS);
                  } else if (close) {
                    ctx.close();
                  } else {
                    onEventLoop(ctx, () -> nextRequest(ctx));
                  }
                });
  }

  private void nextRequest(ChannelHandlerContext ctx) {
    if (state == State.ANSWERING) {
      state = State.AWAITING_HEAD;
      ctx.read();
    }
  }

  private FullHttpResponse toResponse(HttpMapping.Answer answer, boolean close) {
    byte[] json;
    try {
      json = HttpMapping.JSON.writeValueAsBytes(answer.body());
    } catch (JsonProcessingException e) {
      // Bodies are trees built in HttpMapping; serialising one cannot fail short of a bug.
      throw new IllegalStateException("cannot serialise a response body", e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, answer.status(), Unpooled.wrappedBuffer(json));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, json.length);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    for (Map.Entry<String, String> header : answer.headers().entrySet()) {
      response.headers().set(header.getKey(), header.getValue());
    }
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    } else if (http10) {
      // HTTP/1.0 closes by default; say so when this connection stays open.
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    return response;
  }

  // ---------------------------------------------------------------- helpers

  private static String pathOf(Route.Found found) {
    String base = Route.INGEST_PREFIX + found.deviceId().orElseThrow();
    return found.endpoint() == Route.Endpoint.BATCH ? base + Route.BATCH_SUFFIX : base;
  }

  private static List<X509Certificate> peerChainOf(ChannelHandlerContext ctx) {
    SslHandler ssl = ctx.pipeline().get(SslHandler.class);
    if (ssl == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : ssl.engine().getSession().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
      return List.copyOf(chain);
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }
}
