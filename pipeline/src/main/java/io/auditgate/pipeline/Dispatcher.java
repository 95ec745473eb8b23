package io.auditgate.pipeline;

import io.auditgate.core.retry.Backoff;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.pipeline.internal.Pause;
import io.auditgate.pipeline.internal.SinkWorker;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what the write-ahead log holds to every {@link TelemetrySink}: one thread per sink reads
 * the log through the cursor named after the sink, in log order, and advances that cursor only past
 * records the sink reported done.
 *
 * <p>Guarantees, per sink:
 *
 * <ul>
 *   <li><b>At least once, in log order.</b> Every record the log holds is offered until the sink
 *       reports it delivered or rejected; a record is offered again after an interruption or a
 *       restart, never skipped. Per-device order follows, since a device's records are in log
 *       order.
 *   <li><b>Rejections are evidence.</b> A record the sink rejects for good goes to the log's
 *       dead-letter log with the sink's reason code before the cursor passes it.
 *   <li><b>Retries forever</b> after an interruption, from the sink's resume offset, with capped
 *       exponential backoff and full jitter ({@link DispatcherSettings}); a sink that throws is
 *       treated as interrupted at the start of its batch. An interruption after part of the batch
 *       got through starts the backoff over: a slow sink is not a sink that is down. A backlog
 *       drains at full batch speed once the sink delivers again.
 *   <li>Interruptions and restorations are reported once per outage to the {@link
 *       DispatcherListener}.
 * </ul>
 *
 * <p>Thread-safety: {@link #metrics()} and {@link #close()} may be called from any thread. The
 * dispatcher owns the sinks it was given and closes them in {@link #close()}.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration INTERRUPTED_JOIN = Duration.ofSeconds(5);
  // WriteAheadLog#cursor's rule for names, checked before any cursor is opened.
  private static final Pattern CURSOR_NAME = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

  private final Map<String, SinkWorker> workers = new LinkedHashMap<>();
  private final Map<SinkWorker, Thread> threads = new LinkedHashMap<>();
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final DispatcherSettings settings;
  private boolean closed;

  private Dispatcher(
      WriteAheadLog wal,
      List<? extends TelemetrySink> sinks,
      DispatcherSettings settings,
      Clock clock,
      DispatcherListener listener,
      Random random,
      Pause pause,
      StageTracer tracer) {
    this.settings = settings;
    Pause effectivePause = pause != null ? pause : this::sleepUnlessStopping;
    for (TelemetrySink sink : sinks) {
      Backoff backoff = new Backoff(settings.initialBackoff(), settings.maxBackoff(), random);
      workers.put(
          sink.name(),
          new SinkWorker(wal, sink, settings, clock, listener, backoff, effectivePause, tracer));
    }
  }

  /**
   * Opens each sink's cursor and starts its thread.
   *
   * @param sinks sinks with distinct names; the dispatcher owns them from now on, and closes them
   *     all if it cannot start
   * @param clock the clock interruptions, ages and rates are measured by
   * @throws IllegalArgumentException if two sinks share a name or a name is not a valid cursor name
   *     (checked before any cursor is opened)
   */
  public static Dispatcher start(
      WriteAheadLog wal,
      List<? extends TelemetrySink> sinks,
      DispatcherSettings settings,
      Clock clock,
      DispatcherListener listener) {
    return start(wal, sinks, settings, clock, listener, StageTracer.NOOP);
  }

  /**
   * As {@link #start(WriteAheadLog, List, DispatcherSettings, Clock, DispatcherListener)},
   * recording each delivered record's {@link StageTracer.Stage#DISPATCH} stage (handed to the sink
   * → the sink acknowledged it) on {@code tracer}.
   */
  public static Dispatcher start(
      WriteAheadLog wal,
      List<? extends TelemetrySink> sinks,
      DispatcherSettings settings,
      Clock clock,
      DispatcherListener listener,
      StageTracer tracer) {
    return start(wal, sinks, settings, clock, listener, new Random(), null, tracer);
  }

  /**
   * As {@link #start(WriteAheadLog, List, DispatcherSettings, Clock, DispatcherListener)}, with the
   * backoff's randomness and (if not null) its waiting replaced, for tests.
   */
  static Dispatcher start(
      WriteAheadLog wal,
      List<? extends TelemetrySink> sinks,
      DispatcherSettings settings,
      Clock clock,
      DispatcherListener listener,
      Random random,
      Pause pause) {
    return start(wal, sinks, settings, clock, listener, random, pause, StageTracer.NOOP);
  }

  private static Dispatcher start(
      WriteAheadLog wal,
      List<? extends TelemetrySink> sinks,
      DispatcherSettings settings,
      Clock clock,
      DispatcherListener listener,
      Random random,
      Pause pause,
      StageTracer tracer) {
    Objects.requireNonNull(wal, "wal");
    Objects.requireNonNull(tracer, "tracer");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(listener, "listener");
    List<TelemetrySink> owned = List.copyOf(sinks);
    Dispatcher dispatcher;
    try {
      checkNames(owned);
      dispatcher = new Dispatcher(wal, owned, settings, clock, listener, random, pause, tracer);
    } catch (RuntimeException | Error e) {
      // The sinks were handed over: nobody else will close them (a Kafka sink holds a producer
      // with its threads and connections).
      closeAll(owned, e);
      throw e;
    }
    try {
      dispatcher.startThreads();
    } catch (RuntimeException | Error e) {
      dispatcher.close();
      throw e;
    }
    return dispatcher;
  }

  private static void checkNames(List<TelemetrySink> sinks) {
    Set<String> names = new HashSet<>();
    for (TelemetrySink sink : sinks) {
      String name = sink.name();
      if (name == null || !CURSOR_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "sink name " + name + " is not a valid cursor name (" + CURSOR_NAME.pattern() + ")");
      }
      if (!names.add(name)) {
        throw new IllegalArgumentException("two sinks are named " + name);
      }
    }
  }

  private static void closeAll(List<TelemetrySink> sinks, Throwable cause) {
    for (TelemetrySink sink : sinks) {
      try {
        sink.close();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
  }

  private void startThreads() {
    for (SinkWorker worker : workers.values()) {
      Thread thread = new Thread(worker, "dispatcher-" + worker.sink().name());
      // A gateway that exits without closing loses nothing: unacknowledged records stay in the log.
      thread.setDaemon(true);
      thread.start();
      threads.put(worker, thread);
    }
  }

  private void sleepUnlessStopping(Duration delay) throws InterruptedException {
    stopping.await(delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** A snapshot of every sink's figures, by sink name, in the order the sinks were given. */
  public Map<String, SinkMetrics> metrics() {
    Map<String, SinkMetrics> out = new LinkedHashMap<>();
    workers.forEach((name, worker) -> out.put(name, worker.metrics()));
    return out;
  }

  /**
   * The named sink's figures.
   *
   * @throws IllegalArgumentException if no sink has that name
   */
  public SinkMetrics metrics(String sink) {
    SinkWorker worker = workers.get(sink);
    if (worker == null) {
      throw new IllegalArgumentException("no sink named " + sink + "; sinks: " + workers.keySet());
    }
    return worker.metrics();
  }

  /**
   * Stops every sink's thread after its step in progress (a delivery in progress may run up to the
   * sink's own timeout, at most {@link DispatcherSettings#closeTimeout()} before it is
   * interrupted), then closes the sinks. A sink whose thread survives the interrupt (a delivery
   * that ignores it) is not closed under it, since {@code deliver} and {@code close} must not
   * overlap: that is logged, and the sink is closed in the background once the delivery returns.
   * Records not acknowledged stay in the log and are delivered by the next dispatcher over the same
   * log. Idempotent; blocks until done (except for such a sink).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    workers.values().forEach(SinkWorker::stop);
    stopping.countDown();
    long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
    for (Thread thread : threads.values()) {
      join(thread, Math.max(0, deadline - System.nanoTime()));
      if (thread.isAlive()) {
        log.warn(
            "{} did not stop within {}; interrupting it",
            thread.getName(),
            settings.closeTimeout());
        thread.interrupt();
        join(thread, INTERRUPTED_JOIN.toNanos());
      }
    }
    for (SinkWorker worker : workers.values()) {
      Thread thread = threads.get(worker);
      if (thread != null && thread.isAlive()) {
        log.error(
            "{} still runs {} after it was interrupted; sink {} is closed only once its delivery"
                + " returns",
            thread.getName(),
            INTERRUPTED_JOIN,
            worker.sink().name());
        closeWhenEnded(thread, worker.sink());
        continue;
      }
      closeSink(worker.sink());
    }
  }

  /** Closes {@code sink} once {@code thread}, its worker's, has ended; does not wait. */
  private static void closeWhenEnded(Thread thread, TelemetrySink sink) {
    Thread closer =
        new Thread(
            () -> {
              try {
                thread.join();
              } catch (InterruptedException e) {
                log.warn("gave up waiting to close sink {}", sink.name());
                return;
              }
              closeSink(sink);
            },
            thread.getName() + "-closer");
    closer.setDaemon(true);
    closer.start();
  }

  private static void closeSink(TelemetrySink sink) {
    try {
      sink.close();
    } catch (RuntimeException e) {
      log.warn("closing sink {} failed", sink.name(), e);
    }
  }

  private static void join(Thread thread, long nanos) {
    try {
      TimeUnit.NANOSECONDS.timedJoin(thread, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
