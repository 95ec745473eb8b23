package io.auditgate.wal.internal;

import io.auditgate.core.wal.LossRange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A {@link LossRange} as a frame of {@code losses.log}: frame type = kind (1 dropped, 2
 * quarantined); body, big-endian:
 *
 * <pre>
 * int64        first offset
 * int64        end offset (exclusive)
 * u16 + UTF-8  cursor name
 * UTF-8        detail (the rest of the body)
 * </pre>
 */
public final class LossCodec {
  private LossCodec() {}

  public static byte frameType(LossRange loss) {
    return (byte) (loss.kind().ordinal() + 1);
  }

  public static byte[] encode(LossRange loss) {
    byte[] name = loss.cursor().getBytes(StandardCharsets.UTF_8);
    byte[] text = loss.detail().getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(18 + name.length + text.length)
        .putLong(loss.firstOffset())
        .putLong(loss.endOffset())
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
    return new LossRange(LossRange.Kind.values()[frameType - 1], cursor, first, end, detail);
  }
}
