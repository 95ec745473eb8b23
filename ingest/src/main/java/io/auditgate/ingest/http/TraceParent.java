package io.auditgate.ingest.http;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the trace id out of a W3C Trace Context {@code traceparent} header ({@code
 * version-traceid-parentid-flags}, for example {@code
 * 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01}).
 */
final class TraceParent {
  private static final Pattern FORM =
      Pattern.compile("^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$");
  private static final String ZERO_TRACE = "0".repeat(32);
  private static final String ZERO_PARENT = "0".repeat(16);

  private TraceParent() {}

  /**
   * The trace id, if the header values hold exactly one valid {@code traceparent}. The spec says to
   * ignore an invalid header (and so start a new trace) rather than refuse the request: a device
   * with a broken tracer must still be able to deliver telemetry.
   */
  static Optional<String> traceId(List<String> headerValues) {
    if (headerValues.size() != 1) {
      return Optional.empty();
    }
    Matcher m = FORM.matcher(headerValues.get(0).trim());
    if (!m.matches()) {
      return Optional.empty();
    }
    String version = m.group(1);
    boolean knownVersion = version.equals("00");
    if (version.equals("ff") || (knownVersion && m.group(5) != null)) {
      return Optional.empty();
    }
    String traceId = m.group(2);
    if (traceId.equals(ZERO_TRACE) || m.group(3).equals(ZERO_PARENT)) {
      return Optional.empty();
    }
    return Optional.of(traceId);
  }
}
