package io.auditgate.wal.internal;

import io.auditgate.wal.internal.FrameCodec.Decoded;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Optional;

/**
 * Reads frames from a file by position through a read-ahead buffer. Not thread-safe: one reader per
 * thread of use.
 */
public final class FrameReader {
  private static final int READ_AHEAD_BYTES = 256 * 1024;

  private final FileChannel channel;
  private ByteBuffer buffer = ByteBuffer.allocate(READ_AHEAD_BYTES).limit(0);
  private long bufferFilePosition;

  public FrameReader(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Decodes the frame at {@code position}, where the file holds valid data up to {@code limit} (its
   * size, or the durable end of a segment still being written).
   */
  public Decoded read(long position, long limit, long expectedOffset) {
    long available = limit - position;
    if (available <= 0) {
      return new Decoded.Torn("no bytes at " + position);
    }
    ensure(position, FrameCodec.HEADER_BYTES, limit);
    seek(position);
    long need = FrameCodec.needs(buffer, available);
    ensure(position, (int) need, limit);
    seek(position);
    return FrameCodec.decode(buffer, available, expectedOffset);
  }

  /** A valid frame found after damage, and where it starts. */
  public record Resync(long position, Decoded.Frame frame) {}

  /**
   * Finds the first valid frame after damage at {@code from}: the next position below {@code limit}
   * holding a frame whose offset lies strictly between {@code afterOffset} and {@code
   * beforeOffset}. The crc and the offset field together make a false match negligible.
   */
  public Optional<Resync> resync(long from, long limit, long afterOffset, long beforeOffset) {
    for (long p = from + 1; p < limit; p++) {
      if (read(p, limit, -1) instanceof Decoded.Frame f
          && f.record().offset() > afterOffset
          && f.record().offset() < beforeOffset) {
        return Optional.of(new Resync(p, f));
      }
    }
    return Optional.empty();
  }

  /**
   * One past the last non-zero byte in {@code [from, to)}, or {@code from} if they are all zero
   * (space the writer preallocated and never used).
   */
  public long endOfNonZero(long from, long to) {
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    long end = from;
    try {
      for (long at = from; at < to; ) {
        chunk.clear().limit((int) Math.min(chunk.capacity(), to - at));
        int n = channel.read(chunk, at);
        if (n < 0) {
          break;
        }
        for (int i = n - 1; i >= 0; i--) {
          if (chunk.get(i) != 0) {
            end = at + i + 1;
            break;
          }
        }
        at += n;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log file at byte " + from, e);
    }
    return end;
  }

  /** Copies {@code [from, to)} of the file, for quarantine. */
  public byte[] copy(long from, long to) {
    ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(to - from));
    try {
      while (out.hasRemaining()) {
        if (channel.read(out, from + out.position()) < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.array();
  }

  private void seek(long position) {
    buffer.position(Math.toIntExact(position - bufferFilePosition));
  }

  /** Makes {@code [position, position + bytes)} (cut at {@code limit}) present in the buffer. */
  private void ensure(long position, int bytes, long limit) {
    long want = Math.min(position + bytes, limit);
    if (position >= bufferFilePosition && want <= bufferFilePosition + buffer.limit()) {
      return;
    }
    int capacity = Math.max(READ_AHEAD_BYTES, bytes);
    if (buffer.capacity() < capacity) {
      buffer = ByteBuffer.allocate(capacity);
    }
    buffer.clear();
    buffer.limit((int) Math.min(buffer.capacity(), limit - position));
    bufferFilePosition = position;
    try {
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, position + buffer.position());
        if (n < 0) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read log file at byte " + position, e);
    }
    buffer.flip();
  }
}
