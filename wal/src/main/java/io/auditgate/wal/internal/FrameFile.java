package io.auditgate.wal.internal;

import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.ChannelOpener;
import io.auditgate.wal.internal.FrameCodec.Decoded;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A small append-only file of frames, each forced before {@link #append} returns: the dead-letter
 * log and the losses log. Frame offsets are the file's own sequence numbers (0, 1, 2, …). On open a
 * torn or corrupt tail is cut off, as in the segments. Thread-safe.
 */
public final class FrameFile implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private long sizeBytes;
  private long nextSequence;
  private final long bytesTruncated;

  private FrameFile(Path path, FileChannel channel, long sizeBytes, long next, long truncated) {
    this.path = path;
    this.channel = channel;
    this.sizeBytes = sizeBytes;
    this.nextSequence = next;
    this.bytesTruncated = truncated;
  }

  public static FrameFile open(Path path, ChannelOpener opener) throws IOException {
    FileChannel channel =
        opener.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      FrameReader reader = new FrameReader(channel);
      long position = 0;
      long sequence = 0;
      while (position < size
          && reader.read(position, size, sequence) instanceof Decoded.Frame frame) {
        position += frame.frameBytes();
        sequence++;
      }
      if (position < size) {
        channel.truncate(position);
        channel.force(true);
      }
      return new FrameFile(path, channel, position, sequence, size - position);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Appends and forces one frame; returns its sequence number. */
  public synchronized long append(byte type, long timestampMillis, byte[] body) throws IOException {
    ByteBuffer frame = ByteBuffer.allocate(FrameCodec.frameBytes(body.length));
    long sequence = nextSequence;
    FrameCodec.encode(frame, type, sequence, timestampMillis, body);
    frame.flip();
    long at = sizeBytes;
    while (frame.hasRemaining()) {
      at += channel.write(frame, at);
    }
    channel.force(false);
    sizeBytes = at;
    nextSequence++;
    return sequence;
  }

  /** Every frame in the file, oldest first. */
  public synchronized List<WalRecord> readAll() {
    List<WalRecord> records = new ArrayList<>();
    FrameReader reader = new FrameReader(channel);
    long position = 0;
    while (position < sizeBytes
        && reader.read(position, sizeBytes, records.size()) instanceof Decoded.Frame frame) {
      records.add(frame.record());
      position += frame.frameBytes();
    }
    return records;
  }

  public long bytesTruncatedOnOpen() {
    return bytesTruncated;
  }

  public Path path() {
    return path;
  }

  @Override
  public synchronized void close() throws IOException {
    channel.close();
  }
}
