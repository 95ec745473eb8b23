package io.auditgate.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The Kafka record headers the gateway's Kafka sink writes and the store consumer reads, and those
 * the consumer adds to dead letters. The record value is the envelope (or gateway event) bytes,
 * verbatim from the gateway's log.
 *
 * <pre>
 * auditgate.gateway_id    UTF-8 string   the gateway whose log held the record
 * auditgate.wal_offset    8 bytes        its offset in that log, big-endian signed long, >= 0
 * auditgate.record_type   1 byte         RecordTypes value: 1 telemetry, 2 device event, 3 gateway event
 * traceparent             UTF-8 string   W3C trace context, passed through
 * auditgate.dlq.reason    UTF-8 string   dead letters only: the reason code
 * auditgate.dlq.detail    UTF-8 string   dead letters only: what was wrong
 * auditgate.dlq.source    UTF-8 string   dead letters only: topic-partition@offset it came from
 * </pre>
 */
public final class RecordHeaders {
  public static final String GATEWAY_ID = "auditgate.gateway_id";
  public static final String WAL_OFFSET = "auditgate.wal_offset";
  public static final String RECORD_TYPE = "auditgate.record_type";
  public static final String TRACEPARENT = "traceparent";
  public static final String DLQ_REASON = "auditgate.dlq.reason";
  public static final String DLQ_DETAIL = "auditgate.dlq.detail";
  public static final String DLQ_SOURCE = "auditgate.dlq.source";

  private RecordHeaders() {}

  /** The header's value as UTF-8 text, if present. */
  public static Optional<String> text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  /** The header's value as an 8-byte big-endian long, if present and 8 bytes long. */
  public static OptionalLong longValue(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null || h.value().length != Long.BYTES
        ? OptionalLong.empty()
        : OptionalLong.of(ByteBuffer.wrap(h.value()).getLong());
  }

  /** The header's value as one byte, if present and one byte long. */
  public static Optional<Byte> byteValue(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null || h.value().length != 1
        ? Optional.empty()
        : Optional.of(h.value()[0]);
  }

  /** An 8-byte big-endian long, as {@link #WAL_OFFSET} holds it. */
  public static byte[] longBytes(long value) {
    return ByteBuffer.allocate(Long.BYTES).putLong(value).array();
  }

  public static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
