package io.auditgate.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.core.ingest.IngestResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The one place that turns outcomes into HTTP: status codes, error codes, headers and bodies. Every
 * error body is {@code {"code": ..., "message": ...}} (some add fields); {@code code} is stable and
 * machine-readable, {@code message} is for people.
 *
 * <table>
 *   <caption>Status codes</caption>
 *   <tr><th>status</th><th>code</th><th>when</th></tr>
 *   <tr><td>200</td><td>-</td><td>health, readiness, the OpenAPI document, a batch that was
 *       processed (per-item results inside)</td></tr>
 *   <tr><td>202</td><td>-</td><td>{@link IngestResult.Stored}: the message is durable</td></tr>
 *   <tr><td>400</td><td>{@link IngestResult.Reason#code()}, {@code invalid_batch},
 *       {@code bad_request}</td><td>{@link IngestResult.Rejected}, a batch that is not a JSON
 *       array, a malformed HTTP request</td></tr>
 *   <tr><td>401</td><td>{@code unauthenticated}</td><td>no, wrong or conflicting
 *       credentials; with {@code WWW-Authenticate: Bearer}</td></tr>
 *   <tr><td>403</td><td>{@code wrong_device}</td><td>the credentials name another device than
 *       the path, or the ingest rejected it as {@code wrong_device}</td></tr>
 *   <tr><td>404</td><td>{@code not_found}</td><td>no such path</td></tr>
 *   <tr><td>405</td><td>{@code method_not_allowed}</td><td>wrong method; with {@code
 *       Allow}</td></tr>
 *   <tr><td>408</td><td>{@code request_timeout}</td><td>the body stopped arriving for the idle
 *       timeout</td></tr>
 *   <tr><td>413</td><td>{@code payload_too_large}, {@code too_many_items}</td><td>body over
 *       {@code max_body_size} (by Content-Length or while reading), more than {@code
 *       max_batch_items}, or the ingest rejected it as too large</td></tr>
 *   <tr><td>414, 431</td><td>{@code uri_too_long}, {@code headers_too_large}</td><td>request
 *       line over 4096 bytes, headers over 8192 bytes</td></tr>
 *   <tr><td>415</td><td>{@code unsupported_media_type}</td><td>Content-Type other than {@code
 *       application/json} or {@code application/senml+json}, or a Content-Encoding</td></tr>
 *   <tr><td>417</td><td>{@code expectation_failed}</td><td>an Expect other than
 *       100-continue</td></tr>
 *   <tr><td>429</td><td>{@code rate_limited}</td><td>over {@code device_requests_per_second};
 *       with {@code Retry-After}</td></tr>
 *   <tr><td>500</td><td>{@code internal_error}</td><td>a bug: the ingest or the listener
 *       failed unexpectedly (logged)</td></tr>
 *   <tr><td>503</td><td>{@code busy}, {@code not_ready}</td><td>{@link IngestResult.Busy} (the
 *       log is full or failed) or no answer from the ingest within the idle timeout, with {@code
 *       Retry-After}; the readiness probe failing</td></tr>
 * </table>
 */
final class HttpMapping {
  static final ObjectMapper JSON = new ObjectMapper();

  private HttpMapping() {}

  /**
   * A response to write.
   *
   * @param close whether the connection must close after it: the request could not be read to its
   *     end, so the next request on the connection could not be found reliably
   */
  record Answer(
      HttpResponseStatus status, JsonNode body, Map<String, String> headers, boolean close) {
    Answer(HttpResponseStatus status, JsonNode body) {
      this(status, body, Map.of(), false);
    }

    Answer closing() {
      return new Answer(status, body, headers, true);
    }
  }

  /** What became of one item of a batch. */
  sealed interface Item {}

  /** The ingest answered. */
  record Done(IngestResult result) implements Item {}

  /** The ingest failed unexpectedly. */
  record Failed(Throwable cause) implements Item {}

  /** Not handed to the ingest because an earlier item was answered busy. */
  record NotAttempted() implements Item {}

  // ---------------------------------------------------------------- ingest outcomes

  static Answer forResult(IngestResult result) {
    if (result instanceof IngestResult.Stored stored) {
      ObjectNode body = JSON.createObjectNode();
      body.put("status", "stored");
      body.put("wal_offset", stored.walOffset());
      body.put("trace_id", stored.telemetry().traceId());
      return new Answer(HttpResponseStatus.ACCEPTED, body);
    }
    if (result instanceof IngestResult.Rejected rejected) {
      ObjectNode body = error(rejected.reason().code(), rejected.message());
      body.put("dead_letter_sequence", rejected.deadLetterSequence());
      return new Answer(statusOf(rejected.reason()), body);
    }
    IngestResult.Busy busy = (IngestResult.Busy) result;
    return busy(busy.message(), busy.retryAfter());
  }

  /**
   * Rejections are 400 except where HTTP has a more precise word the device can act on: too large
   * is 413 whichever side measured it, and another device's message is 403 like the listener's own
   * check.
   */
  private static HttpResponseStatus statusOf(IngestResult.Reason reason) {
    return switch (reason) {
      case PAYLOAD_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
      case WRONG_DEVICE -> HttpResponseStatus.FORBIDDEN;
      default -> HttpResponseStatus.BAD_REQUEST;
    };
  }

  static Answer busy(String message, Duration retryAfter) {
    ObjectNode body = error("busy", message);
    body.put("retry_after_seconds", retryAfterSeconds(retryAfter));
    return withRetryAfter(HttpResponseStatus.SERVICE_UNAVAILABLE, body, retryAfter);
  }

  static Answer internalError() {
    return new Answer(
        HttpResponseStatus.INTERNAL_SERVER_ERROR,
        error("internal_error", "the gateway failed unexpectedly; the message was not stored"));
  }

  /**
   * A batch's answer. 503 only when nothing was stored and the first item was busy: the device then
   * resends the whole batch after Retry-After. Otherwise 200 with one result per item, in order,
   * each holding the HTTP status and body the single-message endpoint would have answered for it,
   * so a device resends exactly the items that were not stored.
   */
  static Answer forBatch(List<Item> items) {
    boolean anyStored =
        items.stream()
            .anyMatch(i -> i instanceof Done d && d.result() instanceof IngestResult.Stored);
    if (!anyStored
        && items.get(0) instanceof Done first
        && first.result() instanceof IngestResult.Busy busy) {
      return busy(busy.message(), busy.retryAfter());
    }
    ArrayNode results = JSON.createArrayNode();
    int stored = 0;
    int rejected = 0;
    int busy = 0;
    int failed = 0;
    for (int index = 0; index < items.size(); index++) {
      Answer answer = forItem(items.get(index));
      int status = answer.status().code();
      if (status == 202) {
        stored++;
      } else if (status == 503) {
        busy++;
      } else if (status == 500) {
        failed++;
      } else {
        rejected++;
      }
      ObjectNode result = JSON.createObjectNode();
      result.put("index", index);
      result.put("http_status", status);
      result.setAll((ObjectNode) answer.body());
      results.add(result);
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("status", stored == items.size() ? "stored" : "incomplete");
    body.put("stored", stored);
    body.put("rejected", rejected);
    body.put("busy", busy);
    body.put("failed", failed);
    body.set("results", results);
    return new Answer(HttpResponseStatus.OK, body);
  }

  private static Answer forItem(Item item) {
    if (item instanceof Done done) {
      return forResult(done.result());
    }
    if (item instanceof Failed) {
      return internalError();
    }
    return new Answer(
        HttpResponseStatus.SERVICE_UNAVAILABLE,
        error("not_attempted", "not stored because an earlier item was refused as busy"));
  }

  // ---------------------------------------------------------------- the listener's own refusals

  static Answer unauthenticated(Authentication.Refused refused) {
    String challenge =
        refused.tokenRefused()
            ? "Bearer realm=\"auditgate\", error=\"invalid_token\""
            : "Bearer realm=\"auditgate\"";
    return new Answer(
        HttpResponseStatus.UNAUTHORIZED,
        error("unauthenticated", refused.message()),
        Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), challenge),
        false);
  }

  static Answer wrongDevice(String authenticated, String requested) {
    return new Answer(
        HttpResponseStatus.FORBIDDEN,
        error(
            IngestResult.Reason.WRONG_DEVICE.code(),
            "authenticated as device '"
                + authenticated
                + "', which may not send telemetry as '"
                + requested
                + "'"));
  }

  static Answer notFound(String path) {
    return new Answer(
        HttpResponseStatus.NOT_FOUND,
        error("not_found", "no endpoint at '" + truncate(path) + "'"));
  }

  static Answer methodNotAllowed(Route.Endpoint endpoint) {
    return new Answer(
        HttpResponseStatus.METHOD_NOT_ALLOWED,
        error(
            "method_not_allowed",
            endpoint.template() + " accepts " + endpoint.method().name() + " only"),
        Map.of(HttpHeaderNames.ALLOW.toString(), endpoint.method().name()),
        false);
  }

  static Answer tooLarge(long maxBytes) {
    return new Answer(
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        error(
            IngestResult.Reason.PAYLOAD_TOO_LARGE.code(),
            "the request body is larger than " + maxBytes + " bytes"));
  }

  static Answer tooManyItems(int maxItems) {
    return new Answer(
        HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
        error("too_many_items", "a batch holds at most " + maxItems + " messages"));
  }

  static Answer invalidBatch(String message) {
    return new Answer(HttpResponseStatus.BAD_REQUEST, error("invalid_batch", message));
  }

  static Answer unsupportedMediaType(String message) {
    return new Answer(
        HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, error("unsupported_media_type", message));
  }

  static Answer expectationFailed() {
    return new Answer(
            HttpResponseStatus.EXPECTATION_FAILED,
            error("expectation_failed", "only 'Expect: 100-continue' is supported"))
        .closing();
  }

  static Answer rateLimited(String deviceId, Duration retryAfter) {
    return withRetryAfter(
        HttpResponseStatus.TOO_MANY_REQUESTS,
        error("rate_limited", "device '" + deviceId + "' is sending faster than it may"),
        retryAfter);
  }

  static Answer requestTimeout() {
    return new Answer(
            HttpResponseStatus.REQUEST_TIMEOUT,
            error("request_timeout", "the request body stopped arriving"))
        .closing();
  }

  /** A request the HTTP decoder could not read; the connection cannot be trusted afterwards. */
  static Answer malformed(Throwable cause) {
    if (cause instanceof TooLongHttpLineException) {
      return new Answer(
              HttpResponseStatus.REQUEST_URI_TOO_LONG,
              error("uri_too_long", "the request line is too long"))
          .closing();
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return new Answer(
              HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
              error("headers_too_large", "the request headers are too large"))
          .closing();
    }
    return new Answer(
            HttpResponseStatus.BAD_REQUEST,
            error("bad_request", "malformed HTTP request: " + truncate(String.valueOf(cause))))
        .closing();
  }

  // ---------------------------------------------------------------- probes and documents

  static Answer healthy() {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "ok");
    return new Answer(HttpResponseStatus.OK, body);
  }

  static Answer ready() {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "ready");
    return new Answer(HttpResponseStatus.OK, body);
  }

  static Answer notReady(String reason) {
    return new Answer(HttpResponseStatus.SERVICE_UNAVAILABLE, error("not_ready", reason));
  }

  static Answer document(JsonNode document) {
    return new Answer(HttpResponseStatus.OK, document);
  }

  // ---------------------------------------------------------------- helpers

  static ObjectNode error(String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.put("code", code);
    body.put("message", message);
    return body;
  }

  /**
   * Whole seconds, rounded up, and at least 1: a zero would invite a device to retry in a tight
   * loop against a log that just said it is full.
   */
  static long retryAfterSeconds(Duration retryAfter) {
    long millis = Math.max(0, retryAfter.toMillis());
    return Math.max(1, (millis + 999) / 1000);
  }

  private static Answer withRetryAfter(
      HttpResponseStatus status, ObjectNode body, Duration retryAfter) {
    return new Answer(
        status,
        body,
        Map.of(
            HttpHeaderNames.RETRY_AFTER.toString(), Long.toString(retryAfterSeconds(retryAfter))),
        false);
  }

  /** Request text echoed in a message is capped, so an error body stays small. */
  static String truncate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
