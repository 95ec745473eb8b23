package io.auditgate.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.auditgate.web.http.Json;
import io.auditgate.web.http.Response;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;

/**
 * Turns a {@link Response} into Netty's, with the headers every answer carries: no caching of API
 * data (it is live and may be sensitive), no MIME sniffing, no framing, no referrer (the
 * dashboard's URL fragment holds a token; fragments are never sent, but nothing else should leak
 * either), and a Content-Security-Policy that allows only the server's own scripts and styles.
 */
final class ResponseWriter {
  static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none';"
          + " form-action 'self'";

  private ResponseWriter() {}

  static FullHttpResponse toNetty(Response response, boolean keepAlive, boolean headOnly) {
    byte[] body;
    String contentType;
    if (response instanceof Response.Json json) {
      try {
        body = Json.MAPPER.writeValueAsBytes(json.body());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot serialise a response body", e);
      }
      contentType = "application/json";
    } else {
      Response.Bytes bytes = (Response.Bytes) response;
      body = bytes.body();
      contentType = bytes.contentType();
    }
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            headOnly ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    out.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set("x-content-type-options", "nosniff")
        .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
        .set("referrer-policy", "no-referrer")
        .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CSP);
    if (!response.headers().containsKey("cache-control")) {
      out.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    }
    for (Map.Entry<String, String> h : response.headers().entrySet()) {
      out.headers().set(h.getKey(), h.getValue());
    }
    if (!keepAlive) {
      out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return out;
  }
}
