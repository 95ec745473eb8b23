package io.auditgate.store.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import org.postgresql.copy.CopyIn;

/**
 * Builds PostgreSQL binary {@code COPY ... FROM STDIN (FORMAT binary)} data: the signature header,
 * then per row a 16-bit field count and per field a 32-bit length ({@code -1} for NULL) and the
 * value in the type's binary form, and a {@code -1} trailer. The server then reads timestamps and
 * doubles as they are instead of parsing their text, which is most of what a narrow row costs it.
 *
 * <p>Not thread-safe; one per batch.
 */
public final class CopyBinary {
  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0
  };
  // PostgreSQL's epoch, 2000-01-01T00:00:00Z, in Unix seconds.
  private static final long PG_EPOCH_SECONDS = 946_684_800L;

  private byte[] buf;
  private int len;

  public CopyBinary(int expectedBytes) {
    buf = new byte[Math.max(64, expectedBytes)];
    put(SIGNATURE, 0, SIGNATURE.length);
    int32(0); // flags
    int32(0); // header extension length
  }

  /** Starts a row of {@code fields} columns. */
  public CopyBinary row(int fields) {
    int16(fields);
    return this;
  }

  /** A {@code text} value, already UTF-8 (identifiers repeat: callers encode each once). */
  public CopyBinary text(byte[] utf8) {
    int32(utf8.length);
    put(utf8, 0, utf8.length);
    return this;
  }

  public CopyBinary text(String value) {
    return text(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A {@code text}, or NULL when {@code value} is null. */
  public CopyBinary textOrNull(String value) {
    if (value == null) {
      int32(-1);
      return this;
    }
    return text(value);
  }

  /** A {@code jsonb} from its text (binary version 1), or NULL when {@code json} is null. */
  public CopyBinary jsonbOrNull(String json) {
    if (json == null) {
      int32(-1);
      return this;
    }
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    int32(utf8.length + 1);
    ensure(1);
    buf[len++] = 1;
    put(utf8, 0, utf8.length);
    return this;
  }

  /** A {@code jsonb} from its text already in UTF-8 (binary version 1). */
  public CopyBinary jsonb(byte[] utf8) {
    int32(utf8.length + 1);
    ensure(1);
    buf[len++] = 1;
    put(utf8, 0, utf8.length);
    return this;
  }

  /** A {@code smallint}. */
  public CopyBinary int16Value(short value) {
    int32(2);
    int16(value);
    return this;
  }

  /** A {@code bigint}. */
  public CopyBinary int64Value(long value) {
    int32(8);
    int64(value);
    return this;
  }

  /** A {@code timestamptz}, or NULL when {@code value} is null. */
  public CopyBinary timestamptzOrNull(Instant value) {
    if (value == null) {
      int32(-1);
      return this;
    }
    return timestamptz(value);
  }

  /** A {@code bigint}, or NULL when {@code value} is null. */
  public CopyBinary int64OrNull(Long value) {
    if (value == null) {
      int32(-1);
      return this;
    }
    int32(8);
    int64(value);
    return this;
  }

  /** A {@code double precision}. */
  public CopyBinary float8(double value) {
    int32(8);
    int64(Double.doubleToRawLongBits(value));
    return this;
  }

  /** A {@code timestamptz}: microseconds since 2000-01-01 UTC. */
  public CopyBinary timestamptz(Instant value) {
    int32(8);
    int64(micros(value));
    return this;
  }

  /**
   * Microseconds since PostgreSQL's epoch, sub-microsecond parts rounded half to even as the
   * server's text input rounds them, so that both ways store the same instant.
   */
  static long micros(Instant value) {
    long seconds = value.getEpochSecond() - PG_EPOCH_SECONDS;
    long micros = Math.round(Math.rint(value.getNano() / 1000.0));
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), micros);
  }

  /** The data so far plus the trailer, to send; call once, at the end. */
  public InputStream finish() {
    end();
    return new ByteArrayInputStream(buf, 0, len);
  }

  /** Appends the trailer; nothing may follow. */
  public void end() {
    int16(-1);
  }

  /**
   * Sends the data built so far to a {@code COPY} in progress and starts over with an empty buffer:
   * the server reads rows while the caller builds the next ones.
   */
  public void sendTo(CopyIn in) throws SQLException {
    if (len > 0) {
      in.writeToCopy(buf, 0, len);
      len = 0;
    }
  }

  private void int16(int v) {
    ensure(2);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  private void int32(int v) {
    ensure(4);
    buf[len++] = (byte) (v >>> 24);
    buf[len++] = (byte) (v >>> 16);
    buf[len++] = (byte) (v >>> 8);
    buf[len++] = (byte) v;
  }

  private void int64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[len++] = (byte) (v >>> shift);
    }
  }

  private void put(byte[] bytes, int from, int n) {
    ensure(n);
    System.arraycopy(bytes, from, buf, len, n);
    len += n;
  }

  private void ensure(int n) {
    if (len + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
  }
}
