package io.auditgate.pipeline.internal;

import io.auditgate.core.retry.Backoff;
import io.auditgate.core.sink.Delivery;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.pipeline.DispatcherListener;
import io.auditgate.pipeline.DispatcherSettings;
import io.auditgate.pipeline.KafkaTopics;
import io.auditgate.pipeline.SinkMetrics;
import io.auditgate.pipeline.SinkState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's delivery loop: poll a batch from the sink's cursor, offer it, dead-letter what the
 * sink rejected, acknowledge only what it reported done, back off and retry from there when it was
 * interrupted. Runs on its own thread until {@link #stop()}.
 *
 * <p>The cursor is the only record of progress: nothing is acknowledged that the sink did not
 * report done, so stopping at any point (or crashing) loses nothing; the unacknowledged records are
 * read again by the next loop over the same cursor.
 */
public final class SinkWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SinkWorker.class);
  private static final int RATE_WINDOW_SECONDS = 10;

  private final WriteAheadLog wal;
  private final TelemetrySink sink;
  private final WalCursor cursor;
  private final DispatcherSettings settings;
  private final Clock clock;
  private final DispatcherListener listener;
  private final Backoff backoff;
  private final Pause pause;
  private final RateMeter rate;
  private final StageTracer tracer;
  // Reads the trace id of a record only when tracing is on; the topics do not matter here.
  private final RecordRouter traceIds = new RecordRouter(KafkaTopics.DEFAULTS);

  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong deliveredBytes = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong deadLetters = new AtomicLong();
  private final AtomicLong sinkFailures = new AtomicLong();
  private final AtomicLong polledRecords = new AtomicLong();
  private final AtomicLong polledBytes = new AtomicLong();

  private volatile boolean running = true;
  // The log's timestamp of the first record of the batch in hand, -1 when none is waiting.
  private volatile long oldestUnsentMillis = -1;
  private volatile SinkState state = new SinkState.Delivering();
  private volatile String lastInterruption;

  // Only the worker's thread touches these.
  private Instant outageStart;
  private long outageRetries;
  private int attempt;

  public SinkWorker(
      WriteAheadLog wal,
      TelemetrySink sink,
      DispatcherSettings settings,
      Clock clock,
      DispatcherListener listener,
      Backoff backoff,
      Pause pause,
      StageTracer tracer) {
    this.tracer = tracer;
    this.wal = wal;
    this.sink = sink;
    this.cursor = wal.cursor(sink.name());
    this.settings = settings;
    this.clock = clock;
    this.listener = listener;
    this.backoff = backoff;
    this.pause = pause;
    this.rate = new RateMeter(RATE_WINDOW_SECONDS, clock.millis());
  }

  public TelemetrySink sink() {
    return sink;
  }

  /** Asks the loop to end after the step in progress; does not wait. */
  public void stop() {
    running = false;
  }

  @Override
  public void run() {
    // Whatever an earlier reader of this cursor had read but not acknowledged is read again.
    cursor.rewind();
    log.info("dispatching to {} from offset {}", sink.name(), cursor.ackedOffset());
    while (running) {
      try {
        step();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException e) {
        // The log itself failed (a cursor that could not be persisted, a segment that could not be
        // read). Nothing was acknowledged past what was done: back off and read again.
        log.error("dispatching to {} failed; retrying", sink.name(), e);
        try {
          cursor.rewind();
          interrupted("dispatcher: " + e);
          pause.sleep(backoff.delay(attempt++));
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          break;
        } catch (RuntimeException again) {
          log.error("dispatcher for {} cannot recover; retrying", sink.name(), again);
        }
      }
    }
    log.info("stopped dispatching to {} at offset {}", sink.name(), cursor.ackedOffset());
  }

  private void step() throws InterruptedException {
    List<WalRecord> batch = cursor.poll(settings.maxBatchRecords(), settings.maxBatchBytes());
    long end = cursor.readOffset();
    if (batch.isEmpty()) {
      if (end > cursor.ackedOffset()) {
        // The log skipped a range this cursor will never receive (quarantined or dropped); it has
        // recorded the loss itself. Acknowledge past it so retention is not held up.
        cursor.ack(end);
      }
      oldestUnsentMillis = -1;
      wal.awaitDurable(end, settings.idleWait());
      return;
    }
    long start = batch.get(0).offset();
    oldestUnsentMillis = batch.get(0).timestampMillis();
    polledRecords.addAndGet(batch.size());
    polledBytes.addAndGet(bodyBytes(batch, Long.MAX_VALUE));

    Instant handedOver = tracer.enabled() ? clock.instant() : null;
    Delivery outcome = deliver(batch);
    if (handedOver != null) {
      trace(batch, handedOver, outcome);
    }
    Optional<String> broken = contractViolation(outcome, batch, start, end);
    if (broken.isPresent()) {
      log.error("sink {} broke its contract: {}; retrying the batch", sink.name(), broken.get());
      sinkFailures.incrementAndGet();
      outcome = new Delivery.Interrupted(start, List.of(), "sink broke its contract");
    }
    if (outcome instanceof Delivery.Delivered done) {
      deadLetter(batch, done.rejected());
      counted(batch, end, done.rejected().size());
      cursor.ack(end);
      oldestUnsentMillis = -1;
      restored();
    } else if (outcome instanceof Delivery.Interrupted cut) {
      long resume = cut.resumeOffset();
      deadLetter(batch, cut.rejected());
      counted(batch, resume, cut.rejected().size());
      cursor.ack(resume);
      // poll() moved the read position to the end of the batch; read again from where the sink
      // stopped.
      cursor.rewind();
      oldestUnsentMillis =
          batch.stream()
              .filter(r -> r.offset() >= resume)
              .findFirst()
              .map(WalRecord::timestampMillis)
              .orElse(-1L);
      interrupted(cut.reason());
      if (resume > start) {
        // The sink got part of the batch through: it is slow or its batches are too big, not
        // down. Retry from the first step, so a sink that keeps making progress is not held back
        // by the growing delays meant for one that does not.
        attempt = 0;
      }
      pause.sleep(backoff.delay(attempt++));
    }
  }

  /**
   * One {@code dispatch} span per record of the batch that carries a trace id: acknowledged ones
   * succeed, the rest (interrupted or rejected) carry the reason.
   */
  private void trace(List<WalRecord> batch, Instant handedOver, Delivery outcome) {
    Instant now = clock.instant();
    long doneBelow = Long.MAX_VALUE;
    Optional<String> cutReason = Optional.empty();
    Map<Long, String> rejected = new HashMap<>();
    if (outcome instanceof Delivery.Interrupted cut) {
      doneBelow = cut.resumeOffset();
      cutReason = Optional.of(cut.reason());
      cut.rejected().forEach(r -> rejected.put(r.offset(), r.reasonCode()));
    } else if (outcome instanceof Delivery.Delivered done) {
      done.rejected().forEach(r -> rejected.put(r.offset(), r.reasonCode()));
    }
    for (WalRecord record : batch) {
      if (!(traceIds.route(record) instanceof RecordRouter.Route.Routed routed)
          || routed.traceId().isEmpty()) {
        continue;
      }
      Optional<String> error =
          rejected.containsKey(record.offset())
              ? Optional.of("rejected: " + rejected.get(record.offset()))
              : record.offset() >= doneBelow ? cutReason : Optional.empty();
      try {
        tracer.record(
            StageTracer.Stage.DISPATCH,
            routed.traceId().get(),
            handedOver,
            now,
            error,
            Map.of("sink", sink.name(), "wal_offset", Long.toString(record.offset())));
      } catch (RuntimeException e) {
        log.debug("tracer failed", e);
      }
    }
  }

  private Delivery deliver(List<WalRecord> batch) {
    try {
      return sink.deliver(batch);
    } catch (RuntimeException e) {
      // A sink reports failures as outcomes; one that throws has a bug, which must not stop
      // delivery to it for good. Nothing of the batch counts as done.
      sinkFailures.incrementAndGet();
      log.warn("sink {} threw instead of reporting an outcome", sink.name(), e);
      return new Delivery.Interrupted(batch.get(0).offset(), List.of(), "sink threw " + e);
    }
  }

  /** What is wrong with the sink's outcome, if anything: it must not make the cursor skip data. */
  private static Optional<String> contractViolation(
      Delivery outcome, List<WalRecord> batch, long start, long end) {
    if (outcome == null) {
      return Optional.of("deliver returned null");
    }
    long doneBelow = end;
    List<Delivery.Rejection> rejected;
    if (outcome instanceof Delivery.Interrupted cut) {
      if (cut.resumeOffset() < start || cut.resumeOffset() > end) {
        return Optional.of(
            "resume offset %d outside the batch [%d, %d)"
                .formatted(cut.resumeOffset(), start, end));
      }
      doneBelow = cut.resumeOffset();
      rejected = cut.rejected();
    } else {
      rejected = ((Delivery.Delivered) outcome).rejected();
    }
    for (Delivery.Rejection r : rejected) {
      long offset = r.offset();
      if (offset >= doneBelow || batch.stream().noneMatch(w -> w.offset() == offset)) {
        return Optional.of("rejected offset " + offset + " is not a done record of the batch");
      }
    }
    return Optional.empty();
  }

  private void deadLetter(List<WalRecord> batch, List<Delivery.Rejection> rejected) {
    if (rejected.isEmpty()) {
      return;
    }
    Map<Long, WalRecord> byOffset = new HashMap<>();
    batch.forEach(r -> byOffset.put(r.offset(), r));
    for (Delivery.Rejection r : rejected) {
      cursor.deadLetter(byOffset.get(r.offset()), r.reasonCode(), r.detail());
      deadLetters.incrementAndGet();
      log.warn(
          "sink {} rejected offset {} for good ({}: {}); moved to the dead-letter log",
          sink.name(),
          r.offset(),
          r.reasonCode(),
          r.detail());
    }
  }

  private void counted(List<WalRecord> batch, long doneBelow, int rejected) {
    long records = batch.stream().filter(r -> r.offset() < doneBelow).count() - rejected;
    if (records > 0) {
      delivered.addAndGet(records);
      deliveredBytes.addAndGet(bodyBytes(batch, doneBelow));
      rate.record(records, clock.millis());
    }
  }

  private static long bodyBytes(List<WalRecord> batch, long below) {
    long bytes = 0;
    for (WalRecord r : batch) {
      if (r.offset() < below) {
        bytes += r.body().length;
      }
    }
    return bytes;
  }

  private void interrupted(String reason) {
    retries.incrementAndGet();
    lastInterruption = reason;
    Instant now = clock.instant();
    if (outageStart == null) {
      outageStart = now;
      outageRetries = 1;
      state = new SinkState.Interrupted(now, reason);
      log.warn("sink {} interrupted: {}; retrying with backoff", sink.name(), reason);
      try {
        listener.upstreamInterrupted(sink.name(), reason, now);
      } catch (RuntimeException e) {
        log.warn("dispatcher listener failed on an interruption of {}", sink.name(), e);
      }
    } else {
      outageRetries++;
      state = new SinkState.Interrupted(outageStart, reason);
      log.debug("sink {} still interrupted: {}", sink.name(), reason);
    }
  }

  private void restored() {
    attempt = 0;
    if (outageStart == null) {
      return;
    }
    Instant now = clock.instant();
    Duration outage = Duration.between(outageStart, now);
    long failedAttempts = outageRetries;
    outageStart = null;
    state = new SinkState.Delivering();
    log.info(
        "sink {} delivers again after {} ({} failed attempts)",
        sink.name(),
        outage,
        failedAttempts);
    try {
      listener.upstreamRestored(sink.name(), outage, failedAttempts, now);
    } catch (RuntimeException e) {
      log.warn("dispatcher listener failed on the restoration of {}", sink.name(), e);
    }
  }

  /** A snapshot of this sink's figures; safe from any thread. */
  public SinkMetrics metrics() {
    long now = clock.millis();
    long backlog = cursor.backlogRecords();
    long polled = polledRecords.get();
    long estimate = polled == 0 ? 0 : (long) (backlog * ((double) polledBytes.get() / polled));
    long oldest = oldestUnsentMillis;
    Duration age =
        backlog == 0 || oldest < 0 ? Duration.ZERO : Duration.ofMillis(Math.max(0, now - oldest));
    return new SinkMetrics(
        sink.name(),
        cursor.ackedOffset(),
        backlog,
        estimate,
        age,
        delivered.get(),
        deliveredBytes.get(),
        rate.perSecond(now),
        retries.get(),
        deadLetters.get(),
        sinkFailures.get(),
        state,
        Optional.ofNullable(lastInterruption));
  }
}
