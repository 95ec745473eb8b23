package io.auditgate.ingest.mqtt;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Carries answers from whichever thread produces them onto one connection's event loop, in runs:
 * every answer that has arrived by the time a run starts, or arrives while it runs, is handled in
 * that one event-loop task, and {@code endOfRun} follows once. The log completes a forced batch's
 * messages back to back, so a connection gets one task, one flush and so one TLS record and one
 * socket write for the PUBACKs of a batch, instead of one of each per message.
 *
 * <p>{@link #offer} is thread-safe; {@code each} and {@code endOfRun} run on the event loop only,
 * answers in the order offered.
 */
final class AnswerRuns<T> {
  private final Queue<T> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final Executor eventLoop;
  private final Consumer<T> each;
  private final Runnable endOfRun;
  private final Runnable run = this::run;

  AnswerRuns(Executor eventLoop, Consumer<T> each, Runnable endOfRun) {
    this.eventLoop = eventLoop;
    this.each = each;
    this.endOfRun = endOfRun;
  }

  void offer(T answer) {
    queue.offer(answer);
    if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
      try {
        eventLoop.execute(run);
      } catch (RejectedExecutionException shuttingDown) {
        // The event loop is closing its channels; there is nobody left to answer.
        scheduled.set(false);
      }
    }
  }

  private void run() {
    // Cleared before draining: an answer offered after the last poll schedules the next run.
    scheduled.set(false);
    for (T answer; (answer = queue.poll()) != null; ) {
      each.accept(answer);
    }
    endOfRun.run();
  }
}
