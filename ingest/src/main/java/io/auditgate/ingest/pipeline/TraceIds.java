package io.auditgate.ingest.pipeline;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Makes W3C trace ids (Trace Context §3.2.2.3) for messages that arrive without one.
 * Implementations are thread-safe; tests inject a predictable one.
 */
@FunctionalInterface
public interface TraceIds {
  /** 32 lower-case hex digits, not all zero; the form {@link #isValid} accepts. */
  Pattern FORM = Pattern.compile("[0-9a-f]{32}");

  /** A new trace id. */
  String next();

  /**
   * 16 random bytes per id. Trace ids need to be unique, not secret, so a thread-local generator is
   * enough and keeps event-loop threads from contending on one.
   */
  static TraceIds random() {
    return () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      long high;
      long low;
      do {
        high = random.nextLong();
        low = random.nextLong();
      } while (high == 0 && low == 0);
      HexFormat hex = HexFormat.of();
      return hex.toHexDigits(high) + hex.toHexDigits(low);
    };
  }

  /** Whether {@code id} is a valid trace id: 32 lower-case hex digits, not all zero. */
  static boolean isValid(String id) {
    return FORM.matcher(id).matches() && !id.equals("0".repeat(32));
  }
}
