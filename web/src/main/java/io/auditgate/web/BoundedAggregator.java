package io.auditgate.web;

import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.ErrorResponses;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * Reads a whole request up to {@code max_body_size}; a larger one is answered 413 in the API's
 * error format (Netty's own answer would be an empty body) and the connection is closed, since the
 * rest of the body is still on the wire.
 */
final class BoundedAggregator extends HttpObjectAggregator {
  private final int maxBodyBytes;

  BoundedAggregator(int maxBodyBytes) {
    super(maxBodyBytes);
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    ApiProblem problem =
        new ApiProblem(
            413,
            "payload_too_large",
            "the request body is larger than " + maxBodyBytes + " bytes (web.max_body_size)");
    ctx.writeAndFlush(ResponseWriter.toNetty(ErrorResponses.of(problem), false, false))
        .addListener(ChannelFutureListener.CLOSE);
  }
}
