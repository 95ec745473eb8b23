package io.auditgate.wal.internal;

import io.auditgate.wal.ChannelOpener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * A cursor's acknowledged offset on disk, replaced atomically: write {@code name.cursor.tmp}, force
 * it, rename it over {@code name.cursor}, force the directory. A crash at any point leaves either
 * the old or the new position, never a mix.
 *
 * <pre>
 * byte 0..3    magic   'A' 'G' 'C' 'R'
 * byte 4       version 1
 * byte 5..7    reserved 0
 * byte 8..15   acked offset, int64 big-endian
 * byte 16..19  CRC32C of bytes 0..15
 * </pre>
 */
public final class CursorFile {
  public static final String SUFFIX = ".cursor";
  static final int MAGIC = 0x41474352; // "AGCR"
  static final int BYTES = 20;

  private CursorFile() {}

  public static Path path(Path dir, String name) {
    return dir.resolve(name + SUFFIX);
  }

  public static void store(Path dir, String name, long ackedOffset, ChannelOpener opener)
      throws IOException {
    ByteBuffer content = ByteBuffer.allocate(BYTES);
    content.putInt(MAGIC).put((byte) 1).put((byte) 0).putShort((short) 0).putLong(ackedOffset);
    CRC32C crc = new CRC32C();
    crc.update(content.array(), 0, 16);
    content.putInt((int) crc.getValue()).flip();
    Path tmp = dir.resolve(name + SUFFIX + ".tmp");
    try (FileChannel channel =
        opener.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      while (content.hasRemaining()) {
        channel.write(content);
      }
      channel.force(true);
    }
    Files.move(tmp, path(dir, name), StandardCopyOption.ATOMIC_MOVE);
    Fsync.directory(dir);
  }

  /** The stored offset; empty if the file is missing or not a valid cursor file. */
  public static Optional<Long> load(Path file) throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length != BYTES) {
      return Optional.empty();
    }
    ByteBuffer content = ByteBuffer.wrap(bytes);
    CRC32C crc = new CRC32C();
    crc.update(bytes, 0, 16);
    if (content.getInt(0) != MAGIC || content.getInt(16) != (int) crc.getValue()) {
      return Optional.empty();
    }
    return Optional.of(content.getLong(8));
  }
}
