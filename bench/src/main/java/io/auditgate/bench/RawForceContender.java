package io.auditgate.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The physical limit: the same bytes auditgate writes (each message behind a header of the WAL's
 * 25-byte frame size), appended to one file with one positional write per batch and one {@code
 * force(false)}, in the batch sizes the same concurrency produces, and nothing else: no checksum,
 * no offsets index, no segment rolling, no metrics.
 */
final class RawForceContender extends BatchingContender {
  static final String NAME = "raw_force";

  /** Frame header size of auditgate's WAL ({@code FrameCodec.HEADER_BYTES}). */
  static final int HEADER_BYTES = 25;

  private FileChannel channel;
  private ByteBuffer buffer;
  private long position;
  private long nextOffset;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  void openStorage(Path dir) throws Exception {
    channel =
        FileChannel.open(
            dir.resolve("raw.log"), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    buffer = ByteBuffer.allocateDirect((int) MAX_BATCH_BYTES + 1024 * 1024);
  }

  @Override
  void commit(List<Pending> batch) throws Exception {
    long now = System.currentTimeMillis();
    buffer.clear();
    for (Pending p : batch) {
      byte[] body = p.body();
      if (buffer.remaining() < HEADER_BYTES + body.length) {
        flush();
        buffer.clear();
      }
      buffer.putInt(body.length).putInt(0).put((byte) 1).putLong(nextOffset++).putLong(now);
      buffer.put(body);
    }
    flush();
    channel.force(false);
  }

  private void flush() throws Exception {
    buffer.flip();
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }

  @Override
  void closeStorage() throws Exception {
    channel.close();
  }
}
