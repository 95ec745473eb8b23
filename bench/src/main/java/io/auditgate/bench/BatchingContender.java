package io.auditgate.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit for a competitor, with the same hand-off as auditgate's writer so the comparison
 * isolates what is stored and how: producers enqueue and wait on a future; one writer thread takes
 * everything queued (up to {@link #MAX_BATCH_BYTES}, no linger), commits it with one force, then
 * completes the futures. Appends that arrive during a commit form the next batch.
 */
abstract class BatchingContender implements Contender {
  /** The same bound as auditgate's default {@code wal.max_batch_size}. */
  static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;

  private static final Pending STOP = new Pending(new byte[0], null);

  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private volatile long records;
  private volatile long commits;
  private volatile Throwable failure;
  private Thread writer;

  /** One queued message. */
  record Pending(byte[] body, CompletableFuture<Void> durable) {}

  /** Creates the storage in {@code dir}; called on the opening thread. */
  abstract void openStorage(Path dir) throws Exception;

  /** Stores and forces every message of the batch at once; called on the writer thread only. */
  abstract void commit(List<Pending> batch) throws Exception;

  /** Closes the storage after the writer thread ended. */
  abstract void closeStorage() throws Exception;

  @Override
  public final void open(Path dir) throws Exception {
    openStorage(dir);
    writer = new Thread(this::run, name() + "-writer");
    writer.setDaemon(true);
    writer.start();
  }

  @Override
  public final void appendDurably(byte[] body) throws Exception {
    Throwable failed = failure;
    if (failed != null) {
      throw new IllegalStateException(name() + " failed earlier: " + failed, failed);
    }
    CompletableFuture<Void> durable = new CompletableFuture<>();
    queue.add(new Pending(body, durable));
    try {
      durable.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  @Override
  public final CommitCounters counters() {
    return new CommitCounters(records, commits);
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      Pending first;
      try {
        first = queue.poll(100, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        break;
      }
      if (first == null) {
        continue;
      }
      if (first == STOP) {
        break;
      }
      batch.add(first);
      long bytes = RawForceContender.HEADER_BYTES + first.body().length;
      while (bytes < MAX_BATCH_BYTES) {
        Pending next = queue.poll();
        if (next == null) {
          break;
        }
        if (next == STOP) {
          stopping = true;
          break;
        }
        batch.add(next);
        bytes += RawForceContender.HEADER_BYTES + next.body().length;
      }
      try {
        commit(batch);
      } catch (Exception | Error e) {
        failure = e;
        batch.forEach(p -> p.durable().completeExceptionally(e));
        break;
      }
      records += batch.size();
      commits++;
      for (Pending p : batch) {
        p.durable().complete(null);
      }
      batch.clear();
    }
    IllegalStateException closed = new IllegalStateException(name() + " is closed");
    for (Pending p; (p = queue.poll()) != null; ) {
      if (p != STOP) {
        p.durable().completeExceptionally(failure != null ? failure : closed);
      }
    }
  }

  @Override
  public final void close() throws Exception {
    if (writer == null) {
      return;
    }
    queue.add(STOP);
    writer.join();
    writer = null;
    closeStorage();
  }
}
