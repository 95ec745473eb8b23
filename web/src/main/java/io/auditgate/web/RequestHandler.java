package io.auditgate.web;

import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.ErrorResponses;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Router;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: each complete request is copied out of Netty's buffers and run on the
 * worker pool (handlers block on the database), and the answer is written back from there (Netty
 * queues the write on the connection's event loop). HTTP/1.1 pipelining is not supported by
 * browsers or curl in practice; a client that pipelines anyway may get its answers out of order
 * only if it sends before reading, which no supported client does.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

  private final Router router;
  private final ExecutorService workers;

  RequestHandler(Router router, ExecutorService workers) {
    this.router = router;
    this.workers = workers;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest msg) {
    boolean keepAlive = HttpUtil.isKeepAlive(msg);
    String method = msg.method().name().toUpperCase(Locale.ROOT);
    boolean head = method.equals("HEAD");
    DecoderResult decoded = msg.decoderResult();
    if (decoded.isFailure()) {
      write(
          ctx,
          ErrorResponses.of(
              new ApiProblem(400, "bad_request", "the request is not valid HTTP/1.1")),
          false,
          head);
      return;
    }
    QueryStringDecoder uri;
    try {
      uri = new QueryStringDecoder(msg.uri(), StandardCharsets.UTF_8);
      uri.path();
    } catch (IllegalArgumentException e) {
      write(ctx, ErrorResponses.of(ApiProblem.badParameter("uri", "is not valid")), false, head);
      return;
    }
    String contentType =
        Optional.ofNullable(msg.headers().get(HttpHeaderNames.CONTENT_TYPE))
            .map(ct -> ct.split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
            .orElse("");
    Optional<String> authorization =
        Optional.ofNullable(msg.headers().get(HttpHeaderNames.AUTHORIZATION));
    Request request =
        new Request(
            method,
            uri.path(),
            uri.parameters(),
            contentType,
            ByteBufUtil.getBytes(msg.content()),
            Map.of(),
            Optional.empty(),
            authorization,
            clientCertificates(ctx));
    Optional<String> remote =
        ctx.channel().remoteAddress() instanceof InetSocketAddress address
                && address.getAddress() != null
            ? Optional.of(address.getAddress().getHostAddress())
            : Optional.empty();
    try {
      workers.execute(() -> write(ctx, answer(request, authorization, remote), keepAlive, head));
    } catch (RejectedExecutionException e) {
      write(
          ctx,
          ErrorResponses.of(
              new ApiProblem(503, "unavailable", "the server is busy; retry in a moment")),
          keepAlive,
          head);
    }
  }

  /**
   * The client's certificate chain when TLS asked for one (EST re-enrolment authenticates with it)
   * and the client sent one; the handshake's trust manager has already checked it.
   */
  private static List<X509Certificate> clientCertificates(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      return List.of();
    }
    try {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : tls.engine().getSession().getPeerCertificates()) {
        if (certificate instanceof X509Certificate x509) {
          chain.add(x509);
        }
      }
      return chain;
    } catch (SSLPeerUnverifiedException e) {
      return List.of();
    }
  }

  private Response answer(
      Request request, Optional<String> authorization, Optional<String> remote) {
    try {
      return router.dispatch(request, authorization, remote);
    } catch (ApiProblem problem) {
      return ErrorResponses.of(problem);
    } catch (RuntimeException | Error e) {
      return ErrorResponses.unexpected(request.method(), request.path(), e);
    }
  }

  private static void write(
      ChannelHandlerContext ctx, Response response, boolean keepAlive, boolean head) {
    FullHttpResponse out;
    try {
      out = ResponseWriter.toNetty(response, keepAlive, head);
    } catch (RuntimeException e) {
      out =
          ResponseWriter.toNetty(ErrorResponses.unexpected("-", "(response)", e), keepAlive, head);
    }
    if (keepAlive) {
      ctx.writeAndFlush(out);
    } else {
      ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
    } else if (evt instanceof SslHandshakeCompletionEvent done && !done.isSuccess()) {
      log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), done.cause());
      ctx.close();
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
