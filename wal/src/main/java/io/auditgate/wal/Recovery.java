package io.auditgate.wal;

import io.auditgate.core.wal.CorruptLogException;
import io.auditgate.wal.internal.FrameCodec.Decoded;
import io.auditgate.wal.internal.FrameReader;
import io.auditgate.wal.internal.Fsync;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Opening the log after any kind of stop. Sealed segments were forced whole before their successor
 * was created, so only the newest segment can hold a torn write: it is scanned frame by frame and
 * cut at the first frame that is torn or fails its checksum, after copying the cut bytes to the
 * quarantine directory as evidence. Zeros after the last frame are preallocated space and are
 * trimmed without being reported; the report counts the bytes from the bad frame to the last
 * non-zero byte. Nothing after a bad frame is trusted, so what survives is always a prefix of what
 * was appended, and it includes every record whose append completed.
 */
final class Recovery {
  record Result(
      List<Segment> segments,
      long endOffset,
      long recordsScanned,
      long bytesTruncated,
      List<String> truncations) {}

  private Recovery() {}

  static Result recover(Path dir, Path quarantineDir, ChannelOpener opener, Clock clock)
      throws IOException {
    List<Segment> segments = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.sorted().toList()) {
        Optional<Long> base = Segment.parseBase(file);
        if (base.isPresent()) {
          segments.add(
              new Segment(
                  file, base.get(), Files.size(file), Files.getLastModifiedTime(file).toMillis()));
        }
      }
    }
    if (segments.isEmpty()) {
      segments.add(Segment.create(dir, 0, opener, clock.millis()));
      return new Result(segments, 0, 0, 0, List.of());
    }
    Segment active = segments.get(segments.size() - 1);
    List<String> truncations = new ArrayList<>();
    try (FileChannel channel =
        opener.open(active.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (!active.hasValidHeader(channel)) {
        if (channel.size() > Segment.HEADER_BYTES) {
          throw new CorruptLogException(
              "segment "
                  + active.path()
                  + " has an invalid header but holds data; refusing to guess");
        }
        // A crash while the segment was being created: rewrite its header. As for frames, the
        // cut is counted up to the last non-zero byte.
        long cut = new FrameReader(channel).endOfNonZero(0, channel.size());
        channel.truncate(0);
        var header = Segment.header(active.baseOffset());
        while (header.hasRemaining()) {
          channel.write(header, header.position());
        }
        channel.force(true);
        active.sizeBytes(Segment.HEADER_BYTES);
        if (cut > 0) {
          truncations.add(active.name() + ": rewrote a torn " + cut + "-byte header");
        }
        return new Result(segments, active.baseOffset(), 0, cut, truncations);
      }
      long size = channel.size();
      FrameReader reader = new FrameReader(channel);
      long position = Segment.HEADER_BYTES;
      long offset = active.baseOffset();
      Decoded last = null;
      while (position < size) {
        last = reader.read(position, size, offset);
        if (!(last instanceof Decoded.Frame frame)) {
          break;
        }
        position += frame.frameBytes();
        offset++;
      }
      // Zeros past the last frame are space the writer preallocated: not data, not a cut.
      long dataEnd = position < size ? reader.endOfNonZero(position, size) : position;
      long cut = dataEnd - position;
      if (cut > 0) {
        String why =
            last instanceof Decoded.Torn t
                ? "torn: " + t.why()
                : "corrupt: " + ((Decoded.Corrupt) last).why();
        String file = active.name() + "-" + position + "-" + dataEnd + ".tail";
        Files.write(quarantineDir.resolve(file), reader.copy(position, dataEnd));
        Fsync.directory(quarantineDir);
        truncations.add(
            active.name()
                + ": cut "
                + cut
                + " bytes at byte "
                + position
                + " after offset "
                + (offset - 1)
                + " ("
                + why
                + "); bytes kept in quarantine/"
                + file);
      }
      if (position < size) {
        channel.truncate(position);
      }
      // Force even when nothing was cut: the previous process may have been killed between a
      // write and its force, leaving intact frames that are only in the page cache. What is kept
      // here is published as durable and served to cursors, so it must be on stable storage.
      channel.force(true);
      active.sizeBytes(position);
      return new Result(segments, offset, offset - active.baseOffset(), cut, truncations);
    }
  }
}
