package io.auditgate.wal;

import io.auditgate.core.wal.WalException;
import io.auditgate.core.wal.WalWriteFailedException;
import io.auditgate.wal.internal.FrameCodec;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The log's single writer. Appenders enqueue; this thread takes everything queued (up to the batch
 * bound, waiting at most the linger time for more), writes it with one positional write per segment
 * touched, calls {@code force}, and only then publishes the new durable point and completes the
 * batch's futures. Under load, appends that arrive while a force runs form the next batch, so
 * fsyncs are shared without any linger at all.
 *
 * <p>Two things keep the writer on the disk's critical path only. Completing a batch's futures
 * (waking every producer) is handed to a completer thread, so the next write and force start at
 * once. And the active segment is extended with zeros a chunk ahead of the data ({@code
 * wal.preallocation}), so most forces write data pages only, with no file-size change for the file
 * system to commit; recovery treats a zero-filled tail as unused space.
 *
 * <p>If a write or force throws, the batch's futures fail, everything still queued fails, the log
 * enters the failed state and this thread ends. It never retries a failed force: after one, the
 * kernel may already have dropped the dirty pages (PostgreSQL's "fsyncgate").
 */
final class GroupCommitWriter implements Runnable {

  /** One queued append. The offset is assigned by the writer, in queue order. */
  record Pending(byte type, byte[] body, CompletableFuture<Long> durable) {
    int frameBytes() {
      return FrameCodec.frameBytes(body.length);
    }
  }

  private static final Pending STOP = new Pending((byte) 1, new byte[0], null);

  /** A forced batch whose futures the completer thread completes, in order. */
  private record Durable(List<Pending> batch, long firstOffset) {}

  private static final Durable END = new Durable(List.of(), -1);

  private final SegmentedWal wal;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final long maxBatchBytes;
  private final long lingerNanos;
  private final long segmentBytes;
  private final long preallocateBytes;
  private final ByteBuffer buffer;
  private final ByteBuffer zeros = ByteBuffer.allocateDirect(64 * 1024);
  private final BlockingQueue<Durable> completions = new LinkedBlockingQueue<>();
  private final Thread completer;

  private volatile boolean stopped;
  private volatile WalException stopReason = new WalException("write-ahead log is closed");
  private FileChannel channel;
  private Segment active;
  private long allocatedBytes;
  private long nextOffset;

  GroupCommitWriter(SegmentedWal wal, FileChannel channel, Segment active, long nextOffset) {
    this.wal = wal;
    this.channel = channel;
    this.active = active;
    this.nextOffset = nextOffset;
    this.maxBatchBytes = wal.config().maxBatchSize().bytes();
    this.lingerNanos = wal.config().linger().toNanos();
    this.segmentBytes = wal.config().segmentSize().bytes();
    this.preallocateBytes = wal.config().preallocation().bytes();
    int capacity =
        Math.toIntExact(
            maxBatchBytes + FrameCodec.frameBytes((int) wal.config().maxRecordSize().bytes()));
    this.buffer = ByteBuffer.allocateDirect(capacity);
    this.completer = new Thread(this::completeInOrder, "wal-completer");
    this.completer.setDaemon(true);
  }

  /** The completer thread: wakes the producers of each forced batch, in batch order. */
  private void completeInOrder() {
    try {
      for (Durable d; (d = completions.take()) != END; ) {
        for (int i = 0; i < d.batch().size(); i++) {
          d.batch().get(i).durable().complete(d.firstOffset() + i);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Queues an append. If the writer has already stopped, the append is failed here, so no future is
   * ever left hanging: the writer sets {@code stopped} before its final drain, so an append either
   * reaches that drain or sees the flag.
   */
  void enqueue(Pending pending) {
    queue.add(pending);
    if (stopped && queue.remove(pending)) {
      pending.durable().completeExceptionally(stopReason);
    }
  }

  /** Asks the thread to finish what is queued and stop. */
  void stop() {
    queue.add(STOP);
  }

  @Override
  public void run() {
    completer.start();
    try {
      allocatedBytes = channel.size();
      List<Pending> batch = new ArrayList<>();
      boolean stopping = false;
      while (!stopping) {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == STOP) {
          break;
        }
        if (first != null) {
          batch.add(first);
          stopping = fillBatch(batch, first.frameBytes());
        }
        try {
          wal.housekeeping();
          if (!batch.isEmpty()) {
            write(batch);
            batch = new ArrayList<>();
          }
        } catch (IOException | RuntimeException e) {
          fail(batch, e);
          return;
        }
      }
      stopped = true;
      drainAndFail(stopReason);
      trimPreallocation();
      closeChannel();
    } catch (IOException e) {
      fail(List.of(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(List.of(), e);
    } finally {
      finishCompletions();
    }
  }

  /** Lets the completer finish every forced batch, so close() returns with no future pending. */
  private void finishCompletions() {
    completions.add(END);
    try {
      completer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Drains the queue into the batch; returns true if it met the stop marker. */
  private boolean fillBatch(List<Pending> batch, long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + lingerNanos;
    while (bytes < maxBatchBytes) {
      Pending next = queue.poll();
      if (next == null && lingerNanos > 0) {
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
          next = queue.poll(wait, TimeUnit.NANOSECONDS);
        }
      }
      if (next == null) {
        return false;
      }
      if (next == STOP) {
        return true;
      }
      batch.add(next);
      bytes += next.frameBytes();
    }
    return false;
  }

  private void write(List<Pending> batch) throws IOException {
    long now = wal.clock().millis();
    long firstOffset = nextOffset;
    int i = 0;
    while (i < batch.size()) {
      if (active.sizeBytes() + batch.get(i).frameBytes() > segmentBytes
          && active.sizeBytes() > Segment.HEADER_BYTES) {
        roll();
      }
      buffer.clear();
      long room = segmentBytes - active.sizeBytes();
      while (i < batch.size() && buffer.position() + batch.get(i).frameBytes() <= room) {
        Pending p = batch.get(i);
        FrameCodec.encode(buffer, p.type(), nextOffset, now, p.body());
        nextOffset++;
        i++;
      }
      buffer.flip();
      long at = active.sizeBytes();
      preallocate(at + buffer.remaining());
      while (buffer.hasRemaining()) {
        at += channel.write(buffer, at);
      }
      long started = System.nanoTime();
      try {
        channel.force(false);
      } catch (IOException | RuntimeException e) {
        discardUnforced();
        throw e;
      }
      wal.metricsRecorder().forced((System.nanoTime() - started) / 1000);
      active.sizeBytes(at);
      active.lastWriteMillis(now);
    }
    wal.published(new DurablePoint(nextOffset, active, active.sizeBytes()), batch);
    completions.add(new Durable(batch, firstOffset));
  }

  /**
   * Makes the file at least {@code end} bytes long by writing zeros a chunk ahead, so the batch's
   * force commits the extension once and the following forces find the blocks already there.
   */
  private void preallocate(long end) throws IOException {
    if (end <= allocatedBytes || preallocateBytes == 0) {
      return;
    }
    long target = Math.min(segmentBytes, Math.max(end, allocatedBytes) + preallocateBytes);
    long at = Math.max(allocatedBytes, active.sizeBytes());
    while (at < target) {
      zeros.clear().limit((int) Math.min(zeros.capacity(), target - at));
      at += channel.write(zeros, at);
    }
    allocatedBytes = target;
  }

  /** Cuts the zeros past the data, so a closed segment is exactly its frames. */
  private void trimPreallocation() throws IOException {
    if (allocatedBytes > active.sizeBytes()) {
      channel.truncate(active.sizeBytes());
      channel.force(true);
      allocatedBytes = active.sizeBytes();
    }
  }

  /**
   * After a failed force, cuts the active segment back to its last forced size (best effort; it
   * does not force again). The kernel may have marked the cut pages clean without writing them:
   * left in the file, they would read back as valid frames when the log is reopened in the same
   * boot, records acknowledged after them would be built on them, and a power loss would then cut
   * the log at their hole and take those acknowledged records too. Cutting them also makes the
   * failed batch "not stored", as {@link WalWriteFailedException} says; the reopened log's first
   * force persists the cut.
   */
  private void discardUnforced() {
    try {
      channel.truncate(active.sizeBytes());
    } catch (IOException | RuntimeException ignored) {
      // The log fails either way; recovery then treats the tail as after a crash.
    }
  }

  /** Seals the active segment (already forced) and starts the next one, durably named. */
  private void roll() throws IOException {
    // The data are forced; the trim's own metadata may reach the disk later: zeros past the end
    // of a sealed segment are never read, since its records end where the next segment begins.
    channel.truncate(active.sizeBytes());
    Segment next = wal.createSegment(nextOffset);
    FileChannel nextChannel = wal.openForWriting(next);
    channel.close();
    channel = nextChannel;
    active = next;
    allocatedBytes = channel.size();
  }

  private void fail(List<Pending> batch, Exception cause) {
    WalWriteFailedException failure =
        new WalWriteFailedException(
            "write-ahead log write failed; its records are not stored: " + cause, cause);
    stopReason = failure;
    stopped = true;
    wal.failed(failure);
    batch.forEach(p -> p.durable().completeExceptionally(failure));
    drainAndFail(failure);
    closeChannel();
  }

  private void drainAndFail(WalException reason) {
    for (Pending p; (p = queue.poll()) != null; ) {
      if (p != STOP) {
        p.durable().completeExceptionally(reason);
      }
    }
  }

  private void closeChannel() {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was acknowledged on the strength of this close; the data was forced before.
    }
  }
}
