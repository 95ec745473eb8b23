package io.auditgate.wal.internal;

import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.WalRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The body of a dead-letter frame (frame type 1, frame offset = dead-letter sequence, frame
 * timestamp = when it died). Big-endian:
 *
 * <pre>
 * u16 + UTF-8   source
 * int64         wal offset (-1: never in the log)
 * u16 + UTF-8   reason code
 * u16 + UTF-8   detail (cut to 4,096 bytes)
 * int8          record type (0: unknown)
 * int32 + bytes the refused record's body
 * </pre>
 */
public final class DeadLetterCodec {
  public static final byte FRAME_TYPE = 1;
  private static final int MAX_TEXT_BYTES = 4096;

  private DeadLetterCodec() {}

  public static byte[] encode(
      String source, long walOffset, String reasonCode, String detail, byte type, byte[] body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + body.length);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeText(out, source);
      out.writeLong(walOffset);
      writeText(out, reasonCode);
      writeText(out, detail);
      out.writeByte(type);
      out.writeInt(body.length);
      out.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static DeadLetter decode(WalRecord frame) {
    try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(frame.body()))) {
      String source = readText(in);
      long walOffset = in.readLong();
      String reason = readText(in);
      String detail = readText(in);
      byte type = in.readByte();
      byte[] body = in.readNBytes(in.readInt());
      return new DeadLetter(
          frame.offset(), source, walOffset, reason, detail, frame.timestampMillis(), type, body);
    } catch (IOException e) {
      throw new UncheckedIOException("dead letter " + frame.offset() + " is malformed", e);
    }
  }

  private static void writeText(DataOutputStream out, String text) throws IOException {
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    int length = Math.min(utf8.length, MAX_TEXT_BYTES);
    out.writeShort(length);
    out.write(utf8, 0, length);
  }

  private static String readText(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readUnsignedShort()), StandardCharsets.UTF_8);
  }
}
