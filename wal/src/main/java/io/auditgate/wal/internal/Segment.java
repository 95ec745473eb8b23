package io.auditgate.wal.internal;

import io.auditgate.wal.ChannelOpener;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Optional;

/**
 * One segment file of the log, named by the offset of its first record ({@code
 * 00000000000000001234.seg}) so that the records a sealed segment holds follow from the names of it
 * and its successor, with no index to keep in sync.
 *
 * <p>File layout: a 16-byte header, then frames ({@link FrameCodec}) back to back.
 *
 * <pre>
 * byte 0..3   magic    'A' 'G' 'W' 'L'
 * byte 4      version  1
 * byte 5..7   reserved 0
 * byte 8..15  base     int64 big-endian, the offset of the first record (equals the file name)
 * </pre>
 *
 * <p>Mutable fields are written by the log's single writer thread (or under the log's segment lock)
 * and published through volatiles.
 */
public final class Segment {
  public static final int HEADER_BYTES = 16;
  public static final int MAGIC = 0x4147574C; // "AGWL"
  public static final byte VERSION = 1;
  private static final String SUFFIX = ".seg";

  private final Path path;
  private final long baseOffset;
  private volatile long sizeBytes;
  private volatile long lastWriteMillis;

  public Segment(Path path, long baseOffset, long sizeBytes, long lastWriteMillis) {
    this.path = path;
    this.baseOffset = baseOffset;
    this.sizeBytes = sizeBytes;
    this.lastWriteMillis = lastWriteMillis;
  }

  public static String fileName(long baseOffset) {
    return String.format(Locale.ROOT, "%020d%s", baseOffset, SUFFIX);
  }

  /** The base offset a file name stands for, if it is a segment's name. */
  public static Optional<Long> parseBase(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(SUFFIX) || name.length() != 20 + SUFFIX.length()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(name.substring(0, 20)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public static ByteBuffer header(long baseOffset) {
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    header.putInt(MAGIC).put(VERSION).put((byte) 0).putShort((short) 0).putLong(baseOffset);
    return header.flip();
  }

  /**
   * Creates an empty segment file durably: header written and forced, then the directory forced so
   * the new name survives a crash.
   */
  public static Segment create(Path dir, long baseOffset, ChannelOpener opener, long nowMillis)
      throws IOException {
    Path path = dir.resolve(fileName(baseOffset));
    try (FileChannel channel =
        opener.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer header = header(baseOffset);
      while (header.hasRemaining()) {
        channel.write(header);
      }
      channel.force(true);
    }
    Fsync.directory(dir);
    return new Segment(path, baseOffset, HEADER_BYTES, nowMillis);
  }

  /** Whether the channel starts with a valid header for this segment. */
  public boolean hasValidHeader(FileChannel channel) throws IOException {
    if (channel.size() < HEADER_BYTES) {
      return false;
    }
    ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
    while (header.hasRemaining() && channel.read(header, header.position()) >= 0) {}
    return header.getInt(0) == MAGIC && header.get(4) == VERSION && header.getLong(8) == baseOffset;
  }

  public Path path() {
    return path;
  }

  public String name() {
    return path.getFileName().toString();
  }

  public long baseOffset() {
    return baseOffset;
  }

  public long sizeBytes() {
    return sizeBytes;
  }

  public void sizeBytes(long sizeBytes) {
    this.sizeBytes = sizeBytes;
  }

  /** When a record was last written to it: the age of its newest record. */
  public long lastWriteMillis() {
    return lastWriteMillis;
  }

  public void lastWriteMillis(long millis) {
    this.lastWriteMillis = millis;
  }

  public void delete() throws IOException {
    Files.deleteIfExists(path);
  }

  @Override
  public String toString() {
    return name() + " (" + sizeBytes + " bytes)";
  }
}
