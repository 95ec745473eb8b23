package io.auditgate.wal;

import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.FrameCodec.Decoded;
import io.auditgate.wal.internal.FrameReader;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cursor reading segments in order through its own read-only channel. Reads stop at the durable
 * point, so a reader never sees a record that could still be lost. A frame that fails its checksum
 * below the durable point can only be damage after the fact (a bad disk, a stray write): the cursor
 * re-synchronises on the next valid frame, whose header carries its offset, and reports the skipped
 * range to the log for quarantine.
 */
final class SegmentCursor implements WalCursor {
  private final SegmentedWal wal;
  private final String name;
  private volatile long ackedOffset;
  private volatile long readOffset;

  private Segment segment;
  private FileChannel channel;
  private FrameReader reader;
  private long position;

  SegmentCursor(SegmentedWal wal, String name, long ackedOffset) {
    this.wal = wal;
    this.name = name;
    this.ackedOffset = ackedOffset;
    this.readOffset = ackedOffset;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public long ackedOffset() {
    return ackedOffset;
  }

  @Override
  public long readOffset() {
    return readOffset;
  }

  @Override
  public synchronized List<WalRecord> poll(int maxRecords, long maxBytes) {
    List<WalRecord> out = new ArrayList<>();
    long bytes = 0;
    DurablePoint durable = wal.durablePoint();
    while (out.size() < maxRecords && bytes < maxBytes && readOffset < durable.endOffset()) {
      if (readOffset < wal.startOffset()) {
        // The records were dropped under the drop-oldest policy; they are in the losses log.
        readOffset = wal.startOffset();
        release();
      }
      if (segment == null && !positionAt(readOffset)) {
        break;
      }
      if (!wal.segments().holds(segment)) {
        // Deleted once every cursor had acknowledged past it, which means this cursor read all of
        // it: move on by offset. (Reading on in the stale segment would take its end for damage.)
        release();
        continue;
      }
      Optional<Long> sealedEnd = wal.segments().endOf(segment);
      long limit = segment == durable.active() ? durable.activeBytes() : segment.sizeBytes();
      if (sealedEnd.isPresent() && readOffset >= sealedEnd.get()) {
        release();
        continue;
      }
      Decoded decoded = reader.read(position, limit, readOffset);
      if (decoded instanceof Decoded.Frame frame) {
        out.add(frame.record());
        bytes += frame.record().body().length;
        position += frame.frameBytes();
        readOffset++;
      } else {
        skipDamage(limit, sealedEnd.orElse(durable.endOffset()));
      }
    }
    return out;
  }

  /** Opens the segment holding {@code offset} and scans to it; false if it is not held. */
  private boolean positionAt(long offset) {
    Optional<Segment> found = wal.segments().containing(offset);
    if (found.isEmpty()) {
      return false;
    }
    try {
      segment = found.get();
      channel = wal.opener().open(segment.path(), StandardOpenOption.READ);
      reader = new FrameReader(channel);
      position = Segment.HEADER_BYTES;
      long limit = segment.sizeBytes();
      long at = segment.baseOffset();
      while (at < offset) {
        if (reader.read(position, limit, at) instanceof Decoded.Frame frame) {
          position += frame.frameBytes();
          at++;
          continue;
        }
        // Damage before the target, which this cursor has already passed: re-synchronise on the
        // next valid frame up to the target. Never move the read position back below it, which
        // would deliver acknowledged records again and quarantine the same damage once more.
        Optional<FrameReader.Resync> next = reader.resync(position, limit, at, offset + 1);
        if (next.isEmpty()) {
          // The target itself lies in the damage: poll() meets it at this position and
          // quarantines what this cursor has not passed yet.
          return true;
        }
        at = next.get().frame().record().offset();
        position = next.get().position();
      }
      return true;
    } catch (NoSuchFileException e) {
      release();
      return false; // deleted under us by retention; the caller re-reads startOffset
    } catch (IOException e) {
      release();
      throw new UncheckedIOException("cursor " + name + " cannot open " + found.get().path(), e);
    }
  }

  /**
   * Finds the next valid frame after damage at {@code position} and quarantines what lies between.
   * Candidates must carry an offset between the expected one and {@code endOffset}.
   */
  private void skipDamage(long limit, long endOffset) {
    long from = position;
    Optional<FrameReader.Resync> next = reader.resync(from, limit, readOffset, endOffset);
    long to = next.map(FrameReader.Resync::position).orElse(limit);
    long resumeOffset = next.map(r -> r.frame().record().offset()).orElse(endOffset);
    wal.quarantine(name, segment, from, to, readOffset, resumeOffset, reader.copy(from, to));
    position = to;
    readOffset = resumeOffset;
  }

  @Override
  public void ack(long endOffset) {
    synchronized (this) {
      if (endOffset < ackedOffset || endOffset > readOffset) {
        throw new IllegalArgumentException(
            "cursor "
                + name
                + " can acknowledge up to its read offset "
                + readOffset
                + " and not behind "
                + ackedOffset
                + ", got "
                + endOffset);
      }
      if (endOffset == ackedOffset) {
        return;
      }
      wal.persistCursor(name, endOffset);
      ackedOffset = endOffset;
    }
    wal.deleteAcknowledgedSegments();
  }

  @Override
  public DeadLetter deadLetter(WalRecord record, String reasonCode, String detail) {
    return wal.writeDeadLetter(
        name, record.offset(), reasonCode, detail, record.type(), record.body());
  }

  @Override
  public synchronized void rewind() {
    readOffset = ackedOffset;
    release();
  }

  @Override
  public long backlogRecords() {
    return Math.max(0, wal.durableEndOffset() - ackedOffset);
  }

  synchronized void close() {
    release();
  }

  private void release() {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // read-only channel: nothing to lose
      }
    }
    channel = null;
    reader = null;
    segment = null;
  }
}
