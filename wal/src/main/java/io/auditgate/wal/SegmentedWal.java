package io.auditgate.wal;

import io.auditgate.core.config.WalConfig;
import io.auditgate.core.config.WalConfig.OverflowPolicy;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.CorruptLogException;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.UnableToPersistCursorException;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalException;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalMetrics;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.wal.GroupCommitWriter.Pending;
import io.auditgate.wal.internal.CursorFile;
import io.auditgate.wal.internal.DeadLetterCodec;
import io.auditgate.wal.internal.DirectoryLock;
import io.auditgate.wal.internal.FrameFile;
import io.auditgate.wal.internal.Fsync;
import io.auditgate.wal.internal.LossCodec;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log on disk: a directory of segment files ({@link Segment}), one group-commit
 * writer thread ({@link GroupCommitWriter}), cursor files ({@link CursorFile}), the dead-letter log
 * and the losses log. The on-disk layout is described in {@code docs/wal.md}.
 *
 * <pre>
 * dir/
 *   00000000000000000000.seg   segments, named by the offset of their first record
 *   cursors/NAME.cursor        one per sink: the offset up to which it has acknowledged
 *   dead-letters.log           records refused permanently, with the reason
 *   losses.log                 offset ranges dropped (opt-in policy) or quarantined (corrupt)
 *   quarantine/                raw bytes cut from the tail on recovery or skipped as corrupt
 *   CLEAN                      present only while the log is closed cleanly
 *   LOCK                       locked while the log is open: one writer per directory
 * </pre>
 */
public final class SegmentedWal implements WriteAheadLog {
  private static final Logger log = LoggerFactory.getLogger(SegmentedWal.class);
  private static final Pattern CURSOR_NAME = Pattern.compile("^[a-z][a-z0-9_-]{0,63}$");
  private static final long HOUSEKEEPING_INTERVAL_MILLIS = 100;

  private final Path dir;
  private final Path cursorDir;
  private final Path quarantineDir;
  private final WalConfig config;
  private final Clock clock;
  private final WalListener listener;
  private final ChannelOpener opener;
  private final Segments segments;
  private final FrameFile deadLetterFile;
  private final FrameFile lossesFile;
  private final DirectoryLock lock;
  private final List<LossRange> losses = new CopyOnWriteArrayList<>();
  private final Map<String, Set<Long>> deadByCursor = new ConcurrentHashMap<>();
  private final Map<String, SegmentCursor> cursors = new ConcurrentHashMap<>();
  private final WalMetricsRecorder metrics = new WalMetricsRecorder();

  /**
   * Bytes the log holds or has promised to hold: segment files plus appends still queued. One
   * counter, moved only when bytes are promised (append, a new segment's header) or released (a
   * segment deleted), so the bound check never sees a batch twice (in its segment and in the queue)
   * or not at all while the writer moves it.
   */
  private final AtomicLong heldBytes = new AtomicLong();

  private final ReentrantLock durableLock = new ReentrantLock();
  private final Condition durableAdvanced = durableLock.newCondition();
  private final RecoveryReport recoveryReport;
  private final GroupCommitWriter writer;
  private final Thread writerThread;

  private volatile DurablePoint durable;
  private volatile WalException failure;
  private volatile boolean closed;
  private volatile long lastHousekeepingMillis;

  private SegmentedWal(
      Path dir,
      WalConfig config,
      Clock clock,
      WalListener listener,
      ChannelOpener opener,
      FrameFile deadLetterFile,
      FrameFile lossesFile,
      DirectoryLock lock)
      throws IOException {
    this.lock = lock;
    this.dir = dir;
    this.cursorDir = dir.resolve("cursors");
    this.quarantineDir = dir.resolve("quarantine");
    this.config = config;
    this.clock = clock;
    this.listener = listener;
    this.opener = opener;
    Files.createDirectories(cursorDir);
    Files.createDirectories(quarantineDir);
    Path clean = dir.resolve("CLEAN");
    boolean cleanShutdown = Files.deleteIfExists(clean);

    this.deadLetterFile = deadLetterFile;
    this.lossesFile = lossesFile;
    for (WalRecord frame : lossesFile.readAll()) {
      losses.add(LossCodec.decode(frame.type(), frame.body()));
    }
    for (WalRecord frame : deadLetterFile.readAll()) {
      DeadLetter dead = DeadLetterCodec.decode(frame);
      if (dead.walOffset() >= 0) {
        deadByCursor
            .computeIfAbsent(dead.source(), k -> ConcurrentHashMap.newKeySet())
            .add(dead.walOffset());
      }
    }

    Recovery.Result recovered = Recovery.recover(dir, quarantineDir, opener, clock);
    this.segments = new Segments(recovered.segments());
    heldBytes.set(segments.totalBytes());
    Segment active = segments.active();
    this.durable = new DurablePoint(recovered.endOffset(), active, active.sizeBytes());
    List<String> notes = new ArrayList<>(recovered.truncations());
    for (FrameFile file : List.of(deadLetterFile, lossesFile)) {
      if (file.bytesTruncatedOnOpen() > 0) {
        notes.add(
            file.path().getFileName() + ": cut " + file.bytesTruncatedOnOpen() + " torn bytes");
      }
    }
    this.recoveryReport =
        new RecoveryReport(
            segments.count(),
            segments.startOffset(),
            recovered.endOffset(),
            recovered.recordsScanned(),
            recovered.bytesTruncated(),
            notes,
            cleanShutdown);
    Fsync.directory(dir);

    for (String name : cursorNamesOnDisk()) {
      cursors.put(name, loadCursor(name));
    }
    FileChannel channel = openForWriting(active);
    this.writer = new GroupCommitWriter(this, channel, active, recovered.endOffset());
    this.writerThread = new Thread(writer, "wal-writer-" + dir.getFileName());
    this.writerThread.setDaemon(true);
    this.writerThread.start();
    log.info("write-ahead log opened at {}: {}", dir, recoveryReport);
    listener.on(new WalEvent.Recovered(recoveryReport));
  }

  /** Opens (creating if needed) and recovers the log in {@code dir} with real files. */
  public static SegmentedWal open(Path dir, WalConfig config, Clock clock, WalListener listener) {
    return open(dir, config, clock, listener, ChannelOpener.DEFAULT);
  }

  /**
   * Opens the log, writing through channels from {@code opener}.
   *
   * @throws CorruptLogException if the directory holds segments the log cannot make sense of
   * @throws UncheckedIOException if the files cannot be read or written
   */
  public static SegmentedWal open(
      Path dir, WalConfig config, Clock clock, WalListener listener, ChannelOpener opener) {
    List<java.io.Closeable> opened = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      DirectoryLock lock = DirectoryLock.acquire(dir);
      opened.add(lock);
      FrameFile deadLetters = FrameFile.open(dir.resolve("dead-letters.log"), opener);
      opened.add(deadLetters);
      FrameFile losses = FrameFile.open(dir.resolve("losses.log"), opener);
      opened.add(losses);
      return new SegmentedWal(dir, config, clock, listener, opener, deadLetters, losses, lock);
    } catch (IOException | RuntimeException e) {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException("cannot open write-ahead log in " + dir + ": " + e, io);
      }
      throw (RuntimeException) e;
    }
  }

  // ---------------------------------------------------------------- appending

  @Override
  public AppendOutcome append(byte type, byte[] body) {
    RecordTypes.requireValid(type);
    Optional<AppendOutcome.Refused> refusal = refusal(body.length);
    if (refusal.isPresent()) {
      metrics.refusedAppends.increment();
      return refusal.get();
    }
    CompletableFuture<Long> future = new CompletableFuture<>();
    Pending pending = new Pending(type, body, future);
    heldBytes.addAndGet(pending.frameBytes());
    writer.enqueue(pending);
    return new AppendOutcome.Accepted(future);
  }

  /**
   * Why an append of {@code bodyBytes} would be refused now (closed, failed, full, too old), or
   * empty when it would be accepted. Appends nothing and never blocks: for readiness checks, which
   * ask with a typical record's size.
   */
  public Optional<AppendOutcome.Refused> wouldRefuse(int bodyBytes) {
    return refusal(bodyBytes);
  }

  private Optional<AppendOutcome.Refused> refusal(int bodyBytes) {
    if (closed) {
      return refused(AppendOutcome.Reason.CLOSED, "write-ahead log is closed");
    }
    if (failure != null) {
      return refused(AppendOutcome.Reason.FAILED, failure.getMessage());
    }
    if (bodyBytes > config.maxRecordSize().bytes()) {
      return refused(
          AppendOutcome.Reason.TOO_LARGE,
          "record of "
              + bodyBytes
              + " bytes exceeds wal.max_record_size "
              + config.maxRecordSize());
    }
    if (config.overflowPolicy() == OverflowPolicy.REFUSE) {
      long held = heldBytes.get();
      if (held + bodyBytes > config.maxTotalSize().bytes()) {
        return refused(
            AppendOutcome.Reason.FULL,
            "write-ahead log holds "
                + held
                + " bytes, wal.max_total_size is "
                + config.maxTotalSize());
      }
      Duration age = oldestUnacknowledgedAge();
      if (age.compareTo(config.maxAge()) > 0) {
        return refused(
            AppendOutcome.Reason.TOO_OLD,
            "oldest unacknowledged record is " + age + " old, wal.max_age is " + config.maxAge());
      }
    }
    return Optional.empty();
  }

  private static Optional<AppendOutcome.Refused> refused(AppendOutcome.Reason reason, String why) {
    return Optional.of(new AppendOutcome.Refused(reason, why));
  }

  /**
   * Called by the writer once a batch is forced, before its futures complete: a producer that sees
   * its future complete also sees the durable point past its record.
   */
  void published(DurablePoint point, List<Pending> batch) {
    long bodyBytes = 0;
    for (Pending p : batch) {
      bodyBytes += p.body().length;
    }
    metrics.batch(batch.size(), bodyBytes);
    durable = point;
    durableLock.lock();
    try {
      durableAdvanced.signalAll();
    } finally {
      durableLock.unlock();
    }
  }

  /** Called by the writer when a write or force failed. */
  void failed(WalException cause) {
    failure = cause;
    log.error("write-ahead log in {} failed and refuses appends until reopened", dir, cause);
    listener.on(new WalEvent.Failed(cause.getMessage()));
    durableLock.lock();
    try {
      durableAdvanced.signalAll();
    } finally {
      durableLock.unlock();
    }
  }

  Segment createSegment(long baseOffset) throws IOException {
    Segment segment = Segment.create(dir, baseOffset, opener, clock.millis());
    heldBytes.addAndGet(segment.sizeBytes());
    segments.add(segment);
    return segment;
  }

  FileChannel openForWriting(Segment segment) throws IOException {
    return opener.open(segment.path(), StandardOpenOption.WRITE);
  }

  // ---------------------------------------------------------------- retention

  /** Runs on the writer thread between batches: applies the drop-oldest policy when enabled. */
  void housekeeping() {
    long now = clock.millis();
    if (now - lastHousekeepingMillis < HOUSEKEEPING_INTERVAL_MILLIS
        || config.overflowPolicy() != OverflowPolicy.DROP_OLDEST) {
      return;
    }
    lastHousekeepingMillis = now;
    while (true) {
      Segment oldest = segments.oldest();
      boolean tooBig = heldBytes.get() > config.maxTotalSize().bytes();
      boolean tooOld = now - oldest.lastWriteMillis() > config.maxAge().toMillis();
      if (!(tooBig || tooOld)
          || !drop(tooBig ? "wal.max_total_size reached" : "wal.max_age reached")) {
        return;
      }
    }
  }

  /**
   * Drops the oldest sealed segment. The loss is recorded durably before the data goes, so a crash
   * in between leaves a recorded loss of data still present, never an unrecorded loss.
   */
  private boolean drop(String why) {
    synchronized (segments) {
      List<Segment> held = segments.snapshot();
      if (held.size() < 2) {
        return false;
      }
      Segment segment = held.get(0);
      long end = held.get(1).baseOffset();
      try {
        for (SegmentCursor cursor : cursors.values()) {
          long first = Math.max(segment.baseOffset(), cursor.ackedOffset());
          if (first < end) {
            recordLoss(
                new LossRange(
                    LossRange.Kind.DROPPED,
                    cursor.name(),
                    first,
                    end,
                    why + "; segment " + segment.name()));
          }
        }
        // Count records no cursor had acknowledged, once, whatever the number of cursors.
        long firstUnacked =
            cursors.isEmpty()
                ? segment.baseOffset()
                : Math.max(segment.baseOffset(), minAckedOffset());
        metrics.droppedRecords.add(Math.max(0, end - firstUnacked));
        log.warn(
            "dropping segment {} (offsets [{}, {})) before every sink had it: {}",
            segment.name(),
            segment.baseOffset(),
            end,
            why);
        listener.on(
            new WalEvent.Dropped(
                segment.name(), segment.baseOffset(), end, segment.sizeBytes(), why));
        // Only now does the drop become visible: whoever sees the smaller log sees its records.
        segments.removeOldestSealed();
        segment.delete();
        heldBytes.addAndGet(-segment.sizeBytes());
        Fsync.directory(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot drop segment " + segment.name(), e);
      }
      return true;
    }
  }

  private void recordLoss(LossRange loss) throws IOException {
    lossesFile.append(LossCodec.frameType(loss), clock.millis(), LossCodec.encode(loss));
    losses.add(loss);
  }

  /** Deletes sealed segments every cursor has acknowledged past. */
  void deleteAcknowledgedSegments() {
    if (cursors.isEmpty()) {
      return;
    }
    synchronized (segments) {
      long acked = minAckedOffset();
      boolean deleted = false;
      for (Optional<Segment> s; (s = segments.removeOldestEndingBy(acked)).isPresent(); ) {
        try {
          s.get().delete();
          heldBytes.addAndGet(-s.get().sizeBytes());
          deleted = true;
        } catch (IOException e) {
          log.warn(
              "cannot delete acknowledged segment {}; will retry: {}",
              s.get().name(),
              e.toString());
        }
      }
      if (deleted) {
        try {
          Fsync.directory(dir);
        } catch (IOException e) {
          log.warn("cannot force directory {} after deleting segments: {}", dir, e.toString());
        }
      }
    }
  }

  /**
   * The lowest offset some cursor has not acknowledged (the start of the log when there is no
   * cursor): {@code durableEndOffset() - minAckedOffset()} records wait for the slowest sink.
   */
  public long minAckedOffset() {
    long min = durable.endOffset();
    for (SegmentCursor c : cursors.values()) {
      min = Math.min(min, c.ackedOffset());
    }
    return cursors.isEmpty() ? segments.startOffset() : min;
  }

  /**
   * Age of the oldest record some cursor has not acknowledged, at segment granularity: the time of
   * the newest write to the segment holding it (so it never over-states the age).
   */
  Duration oldestUnacknowledgedAge() {
    long acked = minAckedOffset();
    if (acked >= durable.endOffset()) {
      return Duration.ZERO;
    }
    return segments
        .containing(acked)
        .map(s -> Duration.ofMillis(Math.max(0, clock.millis() - s.lastWriteMillis())))
        .orElse(Duration.ZERO);
  }

  // ---------------------------------------------------------------- reading

  @Override
  public long startOffset() {
    return segments.startOffset();
  }

  @Override
  public long durableEndOffset() {
    return durable.endOffset();
  }

  DurablePoint durablePoint() {
    return durable;
  }

  @Override
  public boolean awaitDurable(long offset, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    durableLock.lock();
    try {
      while (durable.endOffset() <= offset && !closed && failure == null) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
          break;
        }
        durableAdvanced.awaitNanos(remaining);
      }
    } finally {
      durableLock.unlock();
    }
    return offset < durable.endOffset();
  }

  @Override
  public synchronized WalCursor cursor(String name) {
    if (!CURSOR_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "cursor name must match " + CURSOR_NAME + ", got '" + name + "'");
    }
    return cursors.computeIfAbsent(
        name,
        n -> {
          long start = segments.startOffset();
          persistCursor(n, start);
          return new SegmentCursor(this, n, start);
        });
  }

  private SegmentCursor loadCursor(String name) throws IOException {
    Optional<Long> stored = CursorFile.load(CursorFile.path(cursorDir, name));
    long start = segments.startOffset();
    long end = durable.endOffset();
    long acked = stored.orElse(start);
    if (stored.isEmpty() || acked > end) {
      // Never skip data: an unreadable or impossible position restarts the cursor at the oldest
      // record held, so records are delivered again (sinks deduplicate) rather than lost.
      log.warn(
          "cursor {} was unreadable or beyond the log end ({}); restarting it at {}",
          name,
          stored,
          start);
      acked = start;
      persistCursor(name, acked);
    }
    return new SegmentCursor(this, name, Math.max(acked, start));
  }

  private List<String> cursorNamesOnDisk() throws IOException {
    try (Stream<Path> files = Files.list(cursorDir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(CursorFile.SUFFIX))
          .map(n -> n.substring(0, n.length() - CursorFile.SUFFIX.length()))
          .sorted()
          .toList();
    }
  }

  void persistCursor(String name, long ackedOffset) {
    try {
      CursorFile.store(cursorDir, name, ackedOffset, opener);
    } catch (IOException e) {
      throw new UnableToPersistCursorException(
          "cannot persist cursor " + name + " at offset " + ackedOffset + ": " + e, e);
    }
  }

  @Override
  public List<String> cursorNames() {
    return cursors.keySet().stream().sorted().toList();
  }

  @Override
  public Optional<MessageState> state(String cursorName, long offset) {
    SegmentCursor cursor = cursors.get(cursorName);
    if (cursor == null || offset < 0 || offset >= durable.endOffset()) {
      return Optional.empty();
    }
    if (deadByCursor.getOrDefault(cursorName, Set.of()).contains(offset)) {
      return Optional.of(MessageState.DEAD);
    }
    for (LossRange loss : losses) {
      if (loss.covers(cursorName, offset)) {
        return Optional.of(
            loss.kind() == LossRange.Kind.DROPPED ? MessageState.DROPPED : MessageState.DEAD);
      }
    }
    if (offset < cursor.ackedOffset()) {
      return Optional.of(MessageState.ACKED);
    }
    return Optional.of(
        offset < cursor.readOffset() ? MessageState.IN_FLIGHT : MessageState.ENQUEUED);
  }

  // ---------------------------------------------------------------- dead letters, quarantine

  @Override
  public DeadLetter deadLetter(String source, String reasonCode, String detail, byte[] body) {
    return writeDeadLetter(source, -1, reasonCode, detail, (byte) 0, body);
  }

  DeadLetter writeDeadLetter(
      String source, long walOffset, String reasonCode, String detail, byte type, byte[] body) {
    byte[] encoded = DeadLetterCodec.encode(source, walOffset, reasonCode, detail, type, body);
    long now = clock.millis();
    try {
      long sequence = deadLetterFile.append(DeadLetterCodec.FRAME_TYPE, now, encoded);
      metrics.deadLetters.increment();
      if (walOffset >= 0) {
        deadByCursor.computeIfAbsent(source, k -> ConcurrentHashMap.newKeySet()).add(walOffset);
      }
      return new DeadLetter(sequence, source, walOffset, reasonCode, detail, now, type, body);
    } catch (IOException e) {
      throw new UnableToPersistCursorException("cannot write dead letter: " + e, e);
    }
  }

  @Override
  public List<DeadLetter> deadLetters() {
    return deadLetterFile.readAll().stream().map(DeadLetterCodec::decode).toList();
  }

  /**
   * Records that {@code [firstOffset, endOffset)} failed their checksum in a sealed segment and
   * that {@code cursor} skipped them; the raw bytes go to the quarantine directory once.
   */
  synchronized void quarantine(
      String cursor,
      Segment segment,
      long fromByte,
      long toByte,
      long firstOffset,
      long endOffset,
      byte[] raw) {
    String file = segment.name() + "-" + fromByte + "-" + toByte + ".corrupt";
    String detail =
        "bytes "
            + fromByte
            + ".."
            + toByte
            + " of "
            + segment.name()
            + " failed their checksum; copied to quarantine/"
            + file;
    try {
      Path copy = quarantineDir.resolve(file);
      boolean first = !Files.exists(copy);
      if (first) {
        Files.write(copy, raw);
      }
      recordLoss(new LossRange(LossRange.Kind.QUARANTINED, cursor, firstOffset, endOffset, detail));
      metrics.quarantinedRecords.add(endOffset - firstOffset);
      log.error("cursor {} skipped records [{}, {}): {}", cursor, firstOffset, endOffset, detail);
      if (first) {
        listener.on(
            new WalEvent.Quarantined(
                segment.name(), fromByte, toByte, firstOffset, endOffset, file));
      }
    } catch (IOException e) {
      log.error(
          "cannot record quarantine of {} [{}, {}): {}",
          segment.name(),
          firstOffset,
          endOffset,
          e.toString());
    }
  }

  // ---------------------------------------------------------------- plumbing

  Segments segments() {
    return segments;
  }

  WalConfig config() {
    return config;
  }

  Clock clock() {
    return clock;
  }

  ChannelOpener opener() {
    return opener;
  }

  WalMetricsRecorder metricsRecorder() {
    return metrics;
  }

  @Override
  public RecoveryReport recoveryReport() {
    return recoveryReport;
  }

  @Override
  public List<LossRange> losses() {
    return List.copyOf(losses);
  }

  @Override
  public WalMetrics metrics() {
    DurablePoint point = durable;
    return new WalMetrics(
        metrics.appendedRecords.sum(),
        metrics.appendedBytes.sum(),
        metrics.batches.sum(),
        metrics.refusedAppends.sum(),
        metrics.droppedRecords.sum(),
        metrics.quarantinedRecords.sum(),
        metrics.deadLetters.sum(),
        segments.totalBytes(),
        segments.count(),
        segments.startOffset(),
        point.endOffset(),
        failure != null,
        metrics.forceMicros.snapshot(),
        metrics.batchRecords.snapshot());
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    writer.stop();
    try {
      writerThread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    cursors.values().forEach(SegmentCursor::close);
    try {
      deadLetterFile.close();
      lossesFile.close();
      if (failure == null) {
        Files.createFile(dir.resolve("CLEAN"));
        Fsync.directory(dir);
      }
    } catch (IOException e) {
      log.warn("closing write-ahead log in {}: {}", dir, e.toString());
    }
    try {
      lock.close();
    } catch (IOException e) {
      log.warn("releasing the lock of {}: {}", dir, e.toString());
    }
    durableLock.lock();
    try {
      durableAdvanced.signalAll();
    } finally {
      durableLock.unlock();
    }
  }
}
