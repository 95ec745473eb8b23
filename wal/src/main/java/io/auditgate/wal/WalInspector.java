package io.auditgate.wal;

import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.CursorFile;
import io.auditgate.wal.internal.DeadLetterCodec;
import io.auditgate.wal.internal.FrameCodec.Decoded;
import io.auditgate.wal.internal.FrameReader;
import io.auditgate.wal.internal.LossCodec;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Reads a log directory without changing a byte of it, for {@code auditgate wal
 * inspect|verify|dump}: unlike opening a {@link SegmentedWal}, it cuts no torn tail and starts no
 * writer, so it is safe on the log of a running or crashed gateway.
 */
public final class WalInspector {

  /** One segment as found on disk. */
  public record SegmentInfo(
      String name,
      long baseOffset,
      long records,
      long sizeBytes,
      long validBytes,
      long firstTimestampMillis,
      long lastTimestampMillis,
      boolean active) {}

  /** One cursor as found on disk; {@code ackedOffset} is -1 if its file is unreadable. */
  public record CursorInfo(String name, long ackedOffset, long backlogRecords) {}

  /** Something wrong in the files. */
  public record Problem(Severity severity, String file, long bytePosition, String message) {}

  public enum Severity {
    /** Expected after a crash: the torn tail of the newest segment, cut on the next open. */
    WARNING,
    /** Damage: data that was durable is unreadable, or files contradict each other. */
    ERROR
  }

  /** The whole picture. */
  public record Inspection(
      Path dir,
      List<SegmentInfo> segments,
      List<CursorInfo> cursors,
      long deadLetters,
      List<LossRange> losses,
      boolean cleanShutdown,
      List<Problem> problems) {
    public long startOffset() {
      return segments.isEmpty() ? 0 : segments.get(0).baseOffset();
    }

    public long endOffset() {
      if (segments.isEmpty()) {
        return 0;
      }
      SegmentInfo last = segments.get(segments.size() - 1);
      return last.baseOffset() + last.records();
    }

    public long totalBytes() {
      return segments.stream().mapToLong(SegmentInfo::sizeBytes).sum();
    }

    public boolean hasErrors() {
      return problems.stream().anyMatch(p -> p.severity() == Severity.ERROR);
    }
  }

  private final Path dir;

  public WalInspector(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory");
    }
    this.dir = dir;
  }

  /** Scans and verifies every frame of every file. */
  public Inspection inspect() {
    try {
      List<Problem> problems = new ArrayList<>();
      List<Path> files = segmentFiles();
      if (files.isEmpty()) {
        problems.add(
            new Problem(
                Severity.WARNING,
                dir.toString(),
                0,
                "no segment files: not a write-ahead log, or never opened"));
      }
      List<SegmentInfo> segments = new ArrayList<>();
      for (int i = 0; i < files.size(); i++) {
        boolean active = i == files.size() - 1;
        long nextBase = active ? Long.MAX_VALUE : Segment.parseBase(files.get(i + 1)).orElseThrow();
        segments.add(scanSegment(files.get(i), active, nextBase, problems, record -> true));
      }
      long end =
          segments.isEmpty()
              ? 0
              : segments.get(segments.size() - 1).baseOffset()
                  + segments.get(segments.size() - 1).records();
      List<CursorInfo> cursors = new ArrayList<>();
      Path cursorDir = dir.resolve("cursors");
      if (Files.isDirectory(cursorDir)) {
        try (Stream<Path> list = Files.list(cursorDir)) {
          for (Path file : list.sorted().toList()) {
            String fileName = file.getFileName().toString();
            if (!fileName.endsWith(CursorFile.SUFFIX)) {
              continue;
            }
            String name = fileName.substring(0, fileName.length() - CursorFile.SUFFIX.length());
            Optional<Long> acked = CursorFile.load(file);
            if (acked.isEmpty()) {
              problems.add(
                  new Problem(
                      Severity.ERROR,
                      file.toString(),
                      0,
                      "unreadable cursor file; it restarts at the oldest record on open"));
            }
            long at = acked.orElse(-1L);
            cursors.add(new CursorInfo(name, at, at < 0 ? -1 : Math.max(0, end - at)));
          }
        }
      }
      List<WalRecord> lossFrames = readFrames(dir.resolve("losses.log"), problems);
      List<LossRange> losses =
          lossFrames.stream().map(f -> LossCodec.decode(f.type(), f.body())).toList();
      long deadLetters = readFrames(dir.resolve("dead-letters.log"), problems).size();
      boolean clean = Files.exists(dir.resolve("CLEAN"));
      return new Inspection(dir, segments, cursors, deadLetters, losses, clean, problems);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot inspect " + dir + ": " + e, e);
    }
  }

  /**
   * Streams every valid record with {@code offset >= fromOffset} to {@code sink} in order, until it
   * returns false. Damaged frames are skipped, as a cursor would skip them.
   */
  public void dump(long fromOffset, Predicate<WalRecord> sink) {
    try {
      List<Path> files = segmentFiles();
      List<Problem> ignored = new ArrayList<>();
      boolean[] more = {true};
      for (int i = 0; i < files.size() && more[0]; i++) {
        boolean active = i == files.size() - 1;
        long nextBase = active ? Long.MAX_VALUE : Segment.parseBase(files.get(i + 1)).orElseThrow();
        if (nextBase <= fromOffset) {
          continue;
        }
        scanSegment(
            files.get(i),
            active,
            nextBase,
            ignored,
            record -> {
              if (record.offset() >= fromOffset && more[0]) {
                more[0] = sink.test(record);
              }
              return more[0];
            });
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir + ": " + e, e);
    }
  }

  /** Every dead letter, oldest first. */
  public List<DeadLetter> deadLetters() {
    return readFrames(dir.resolve("dead-letters.log"), new ArrayList<>()).stream()
        .map(DeadLetterCodec::decode)
        .toList();
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> Segment.parseBase(p).isPresent()).sorted().toList();
    }
  }

  private SegmentInfo scanSegment(
      Path file, boolean active, long nextBase, List<Problem> problems, Predicate<WalRecord> visit)
      throws IOException {
    long base = Segment.parseBase(file).orElseThrow();
    Segment segment = new Segment(file, base, Files.size(file), 0);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (!segment.hasValidHeader(channel)) {
        Severity severity =
            active && size <= Segment.HEADER_BYTES ? Severity.WARNING : Severity.ERROR;
        problems.add(new Problem(severity, file.toString(), 0, "invalid or torn segment header"));
        return new SegmentInfo(segment.name(), base, 0, size, 0, 0, 0, active);
      }
      FrameReader reader = new FrameReader(channel);
      long position = Segment.HEADER_BYTES;
      long offset = base;
      long first = 0;
      long last = 0;
      boolean visiting = true;
      while (position < size && offset < nextBase) {
        Decoded decoded = reader.read(position, size, offset);
        if (decoded instanceof Decoded.Frame frame) {
          if (offset == base) {
            first = frame.record().timestampMillis();
          }
          last = frame.record().timestampMillis();
          if (visiting) {
            visiting = visit.test(frame.record());
          }
          position += frame.frameBytes();
          offset++;
          continue;
        }
        String why =
            decoded instanceof Decoded.Torn t
                ? "torn frame: " + t.why()
                : "corrupt frame: " + ((Decoded.Corrupt) decoded).why();
        if (active) {
          long dataEnd = reader.endOfNonZero(position, size);
          if (dataEnd > position) {
            problems.add(
                new Problem(
                    Severity.WARNING,
                    file.toString(),
                    position,
                    why
                        + " at offset "
                        + offset
                        + "; the next open cuts "
                        + (dataEnd - position)
                        + " bytes here"));
          }
          break;
        }
        // Sealed: find the next good frame, as a cursor would.
        Optional<FrameReader.Resync> next = reader.resync(position, size, offset, nextBase);
        long resumeOffset = next.map(r -> r.frame().record().offset()).orElse(nextBase);
        long resumeAt = next.map(FrameReader.Resync::position).orElse(size);
        problems.add(
            new Problem(
                Severity.ERROR,
                file.toString(),
                position,
                why
                    + "; offsets "
                    + offset
                    + ".."
                    + (resumeOffset - 1)
                    + " unreadable (bytes "
                    + position
                    + ".."
                    + resumeAt
                    + ")"));
        offset = resumeOffset;
        position = resumeAt;
      }
      if (!active && offset != nextBase) {
        problems.add(
            new Problem(
                Severity.ERROR,
                file.toString(),
                position,
                "holds offsets up to "
                    + (offset - 1)
                    + " but the next segment starts at "
                    + nextBase));
      }
      return new SegmentInfo(
          segment.name(), base, offset - base, size, position, first, last, active);
    }
  }

  private static List<WalRecord> readFrames(Path file, List<Problem> problems) {
    List<WalRecord> records = new ArrayList<>();
    if (!Files.exists(file)) {
      return records;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      FrameReader reader = new FrameReader(channel);
      long position = 0;
      while (position < size) {
        Decoded decoded = reader.read(position, size, records.size());
        if (!(decoded instanceof Decoded.Frame frame)) {
          problems.add(
              new Problem(
                  Severity.WARNING,
                  file.toString(),
                  position,
                  "torn or corrupt tail; cut on the next open"));
          break;
        }
        records.add(frame.record());
        position += frame.frameBytes();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e, e);
    }
    return records;
  }
}
