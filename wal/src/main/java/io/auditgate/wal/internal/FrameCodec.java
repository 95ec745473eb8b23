package io.auditgate.wal.internal;

import io.auditgate.core.wal.WalRecord;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Encodes and verifies the frames that every auditgate log file is made of (segments, the
 * dead-letter log, the losses log).
 *
 * <p>A frame is a 25-byte header followed by the body. All integers are big-endian:
 *
 * <pre>
 * byte  0..3   length     int32  body length n, 0 &lt;= n &lt;= {@link #MAX_BODY_BYTES}
 * byte  4..7   crc        int32  CRC32C over bytes 0..3 and 8..(25+n-1): length, type, offset,
 *                                timestamp and body (everything but the crc itself)
 * byte  8      type       int8   1..127 (a zero-filled region fails here and on its crc)
 * byte  9..16  offset     int64  the record's offset; lets a reader re-synchronise after a
 *                                corrupt frame and tells exactly which records were lost
 * byte 17..24  timestamp  int64  epoch milliseconds at which the frame was written
 * byte 25..    body       n bytes
 * </pre>
 *
 * <p>A reader tells a <em>torn</em> frame (the file ends inside it: a write that a crash cut short)
 * from a <em>corrupt</em> one (all bytes present but the length is impossible, the type is out of
 * range, the offset is not the expected one or the crc does not match).
 */
public final class FrameCodec {
  public static final int HEADER_BYTES = 25;
  public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private FrameCodec() {}

  public static int frameBytes(int bodyBytes) {
    return HEADER_BYTES + bodyBytes;
  }

  /** Writes one frame at the buffer's position and advances it. */
  public static void encode(
      ByteBuffer out, byte type, long offset, long timestampMillis, byte[] body) {
    int start = out.position();
    out.putInt(body.length);
    out.putInt(0); // crc, patched below
    out.put(type);
    out.putLong(offset);
    out.putLong(timestampMillis);
    out.put(body);
    int end = out.position();
    out.putInt(start + 4, crcOf(out, start, end));
  }

  /** The crc a frame occupying {@code [start, end)} of {@code buf} must carry. */
  static int crcOf(ByteBuffer buf, int start, int end) {
    CRC32C crc = new CRC32C();
    ByteBuffer view = buf.duplicate();
    view.limit(start + 4).position(start);
    crc.update(view);
    view.limit(end).position(start + 8);
    crc.update(view);
    return (int) crc.getValue();
  }

  /** What a reader found at a position. */
  public sealed interface Decoded {
    /** A valid frame of {@code frameBytes} bytes. */
    record Frame(WalRecord record, int frameBytes) implements Decoded {}

    /** Fewer bytes than the frame needs: the tail of a write that did not finish. */
    record Torn(String why) implements Decoded {}

    /** All bytes are there but they are not a valid frame. */
    record Corrupt(String why) implements Decoded {}
  }

  /**
   * Reads the frame at {@code buf}'s position without moving it; {@code available} bytes from the
   * position on are what the file holds (the buffer may hold less: then it answers {@link #needs}
   * first).
   *
   * @param expectedOffset the offset the frame must carry, or -1 to accept any
   */
  public static Decoded decode(ByteBuffer buf, long available, long expectedOffset) {
    int start = buf.position();
    if (available < HEADER_BYTES) {
      return new Decoded.Torn("only " + available + " of " + HEADER_BYTES + " header bytes");
    }
    int length = buf.getInt(start);
    byte type = buf.get(start + 8);
    long offset = buf.getLong(start + 9);
    if (length < 0 || length > MAX_BODY_BYTES) {
      return new Decoded.Corrupt("impossible body length " + length);
    }
    if (available < HEADER_BYTES + (long) length) {
      return new Decoded.Torn(
          "only " + (available - HEADER_BYTES) + " of " + length + " body bytes");
    }
    int end = start + HEADER_BYTES + length;
    if (end > buf.limit()) {
      throw new IllegalStateException("caller must buffer the whole frame; see needs()");
    }
    if (buf.getInt(start + 4) != crcOf(buf, start, end)) {
      return new Decoded.Corrupt("crc mismatch");
    }
    if (type <= 0) {
      return new Decoded.Corrupt("invalid type " + type);
    }
    if (expectedOffset >= 0 && offset != expectedOffset) {
      return new Decoded.Corrupt("offset " + offset + " where " + expectedOffset + " was expected");
    }
    long timestamp = buf.getLong(start + 17);
    byte[] body = new byte[length];
    buf.get(start + HEADER_BYTES, body);
    return new Decoded.Frame(new WalRecord(offset, type, timestamp, body), HEADER_BYTES + length);
  }

  /**
   * How many bytes from the buffer's position {@link #decode} needs to see: the header, then the
   * whole frame once the header is there. Never more than {@code available}.
   */
  public static long needs(ByteBuffer buf, long available) {
    int have = buf.remaining();
    if (have < HEADER_BYTES) {
      return Math.min(HEADER_BYTES, available);
    }
    int length = buf.getInt(buf.position());
    if (length < 0 || length > MAX_BODY_BYTES) {
      return HEADER_BYTES;
    }
    return Math.min(HEADER_BYTES + (long) length, available);
  }
}
