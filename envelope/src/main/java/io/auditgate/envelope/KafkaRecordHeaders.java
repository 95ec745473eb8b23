package io.auditgate.envelope;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The headers the gateway puts on every Kafka record it forwards, next to the envelope (the value,
 * verbatim from the log) and the key (device id, or gateway id for gateway events). The Kafka sink
 * writes them and the store consumer reads them; both use this class so the names and byte layouts
 * cannot drift apart.
 *
 * <pre>
 * header                 value bytes
 * auditgate.gateway_id   UTF-8 of the envelope's gateway_id, 1..64 bytes of [A-Za-z0-9_-]
 * auditgate.wal_offset   8 bytes: the record's offset in that gateway's log, int64 big-endian
 * auditgate.record_type  1 byte: the log's record type (1 telemetry, 2 device event, 3 gateway event)
 * traceparent            US-ASCII, W3C Trace Context version 00, 55 bytes:
 *                          "00-" trace_id "-" span id "-01"
 *                        trace_id: the envelope's, 32 lower-case hex digits
 *                        span id: {@link #spanId} of the log offset, 16 lower-case hex digits
 *                        flags 01 (sampled); absent when the record carries no valid trace_id
 *                        (gateway events have none)
 * </pre>
 *
 * <p>{@code (gateway_id, wal_offset)} identifies a forwarded record: the same record sent twice
 * (after an interruption or a gateway restart) carries the same pair and the same value, which is
 * what lets the store deduplicate messages without a device {@code seq}.
 *
 * <p>Thread-safe and stateless.
 */
public final class KafkaRecordHeaders {
  public static final String GATEWAY_ID = "auditgate.gateway_id";
  public static final String WAL_OFFSET = "auditgate.wal_offset";
  public static final String RECORD_TYPE = "auditgate.record_type";
  public static final String TRACEPARENT = "traceparent";

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private KafkaRecordHeaders() {}

  /** The {@link #WAL_OFFSET} header's 8 bytes. */
  public static byte[] walOffset(long offset) {
    byte[] bytes = new byte[8];
    for (int i = 7; i >= 0; i--) {
      bytes[i] = (byte) offset;
      offset >>>= 8;
    }
    return bytes;
  }

  /**
   * The offset in a {@link #WAL_OFFSET} header's bytes.
   *
   * @throws IllegalArgumentException if they are not 8 bytes
   */
  public static long walOffset(byte[] bytes) {
    if (bytes == null || bytes.length != 8) {
      throw new IllegalArgumentException(
          WAL_OFFSET + " must be 8 bytes, got " + (bytes == null ? "none" : bytes.length));
    }
    long offset = 0;
    for (byte b : bytes) {
      offset = (offset << 8) | (b & 0xFF);
    }
    return offset;
  }

  /** The {@link #GATEWAY_ID} header's bytes. */
  public static byte[] gatewayId(String gatewayId) {
    return gatewayId.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The W3C {@code traceparent} for the record at {@code walOffset} of a message with {@code
   * traceId}; empty if {@code traceId} is not 32 lower-case hex digits or is all zeros (which W3C
   * forbids).
   */
  public static Optional<String> traceparent(String traceId, long walOffset) {
    if (!isTraceId(traceId)) {
      return Optional.empty();
    }
    return Optional.of("00-" + traceId + "-" + spanId(walOffset) + "-01");
  }

  /**
   * A span id derived from the log offset: the 64-bit SplitMix64 finaliser of the offset, as 16
   * lower-case hex digits, 1 where that would be 0 (W3C forbids an all-zero span id).
   * Deterministic, so a record resent after an interruption carries the same {@code traceparent};
   * spread over the whole range like the random ids tracing systems expect.
   */
  public static String spanId(long walOffset) {
    long z = walOffset + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z = z ^ (z >>> 31);
    if (z == 0) {
      z = 1;
    }
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (z & 0xF)];
      z >>>= 4;
    }
    return new String(out);
  }

  private static boolean isTraceId(String traceId) {
    if (traceId == null || traceId.length() != 32) {
      return false;
    }
    boolean nonZero = false;
    for (int i = 0; i < 32; i++) {
      char c = traceId.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
      nonZero |= c != '0';
    }
    return nonZero;
  }
}
