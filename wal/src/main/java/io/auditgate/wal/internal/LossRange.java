package io.auditgate.wal.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Offsets {@code [firstOffset, endOffset)} that one cursor will never receive although it had not
 * acknowledged them. Kept durably in {@code losses.log} so that message states stay truthful
 * across restarts. Frame type = kind (1 dropped, 2 quarantined); body, big-endian:
 *
 * <pre>
 * int64        first offset
 * int64        end offset (exclusive)
 * u16 + UTF-8  cursor name
 * UTF-8        detail (the rest of the body)
 * </pre>
 */
public record LossRange(Kind kind, String cursor, long firstOffset, long endOffset, String detail) {
  public enum Kind {
    /** Removed by the drop-oldest overflow policy. */
    DROPPED,
    /** Failed the checksum in a sealed segment; bytes copied to the quarantine directory. */
    QUARANTINED
  }

  public boolean covers(String cursorName, long offset) {
    return cursor.equals(cursorName) && offset >= firstOffset && offset < endOffset;
  }

  public long records() {
    return endOffset - firstOffset;
  }

  public byte frameType() {
    return (byte) (kind.ordinal() + 1);
  }

  public byte[] body() {
    byte[] name = cursor.getBytes(StandardCharsets.UTF_8);
    byte[] text = detail.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(18 + name.length + text.length)
        .putLong(firstOffset)
        .putLong(endOffset)
        .putShort((short) name.length)
        .put(name)
        .put(text)
        .array();
  }

  public static LossRange decode(byte frameType, byte[] body) {
    ByteBuffer in = ByteBuffer.wrap(body);
    long first = in.getLong();
    long end = in.getLong();
    int nameLength = Short.toUnsignedInt(in.getShort());
    String cursor = new String(body, 18, nameLength, StandardCharsets.UTF_8);
    int textStart = 18 + nameLength;
    String detail = new String(body, textStart, body.length - textStart, StandardCharsets.UTF_8);
    return new LossRange(Kind.values()[frameType - 1], cursor, first, end, detail);
  }
}
