package io.auditgate.pipeline;

import static io.auditgate.pipeline.Fixtures.FAST;
import static io.auditgate.pipeline.Fixtures.append;
import static io.auditgate.pipeline.Fixtures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.sink.Delivery;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalMetrics;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.wal.SegmentedWal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher over a real {@link SegmentedWal} in a temporary directory, with scripted sinks.
 */
class DispatcherTest {
  @TempDir Path dir;

  private SegmentedWal wal;
  private Dispatcher dispatcher;

  @AfterEach
  void tearDown() {
    if (dispatcher != null) {
      dispatcher.close();
    }
    if (wal != null) {
      wal.close();
    }
  }

  private SegmentedWal openLog(Clock clock) {
    wal = SegmentedWal.open(dir, Fixtures.smallSegments(), clock, WalListener.NONE);
    return wal;
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }

  @Test
  void deliversEveryRecordOnceInLogOrder() {
    openLog(Clock.systemUTC());
    append(wal, 0, 1500);
    ScriptedSink sink = new ScriptedSink("kafka");
    dispatcher =
        Dispatcher.start(wal, List.of(sink), FAST, Clock.systemUTC(), DispatcherListener.NONE);

    await("all delivered", () -> sink.accepted.size() == 1500);
    // Records appended while the dispatcher runs are picked up without polling delays.
    append(wal, 1500, 500);
    await("the later ones too", () -> sink.accepted.size() == 2000);

    assertThat(sink.accepted).containsExactlyElementsOf(range(0, 2000));
    assertThat(sink.offers).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(64));
    await("acknowledged", () -> wal.cursor("kafka").ackedOffset() == 2000);
    SinkMetrics m = dispatcher.metrics("kafka");
    assertThat(m.deliveredRecords()).isEqualTo(2000);
    assertThat(m.backlogRecords()).isZero();
    assertThat(m.retries()).isZero();
    assertThat(m.state()).isInstanceOf(SinkState.Delivering.class);
  }

  @Test
  void eachSinkReadsThroughItsOwnCursorAndOneStuckSinkDoesNotHoldUpAnother() {
    openLog(Clock.systemUTC());
    append(wal, 0, 300);
    ScriptedSink fast = new ScriptedSink("store");
    ScriptedSink stuck =
        new ScriptedSink("kafka")
            .behave(b -> new Delivery.Interrupted(b.get(0).offset(), List.of(), "broker down"));
    dispatcher =
        Dispatcher.start(
            wal, List.of(stuck, fast), FAST, Clock.systemUTC(), DispatcherListener.NONE);

    await("the healthy sink delivered", () -> wal.cursor("store").ackedOffset() == 300);
    assertThat(fast.accepted).hasSize(300);
    assertThat(stuck.accepted).isEmpty();
    assertThat(wal.cursor("kafka").ackedOffset()).isZero();
    assertThat(dispatcher.metrics().keySet()).containsExactly("kafka", "store");
  }

  @Test
  void anInterruptionResumesAtTheSinksOffsetAndNothingIsSkippedOrAcceptedTwice() {
    openLog(Clock.systemUTC());
    append(wal, 0, 1000);
    AtomicInteger calls = new AtomicInteger();
    // Every third call gets only three records through before the "broker" goes away.
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch ->
                    calls.incrementAndGet() % 3 == 0
                        ? new Delivery.Interrupted(
                            batch.get(Math.min(3, batch.size() - 1)).offset(), List.of(), "timeout")
                        : Delivery.Delivered.all());
    dispatcher =
        Dispatcher.start(wal, List.of(sink), FAST, Clock.systemUTC(), DispatcherListener.NONE);

    await("all accepted", () -> sink.accepted.size() >= 1000);
    assertThat(sink.accepted).containsExactlyElementsOf(range(0, 1000));
    // Every retry starts exactly where the sink stopped.
    for (int i = 1; i < sink.offers.size(); i++) {
      List<Long> previous = sink.offers.get(i - 1);
      long expectedStart =
          i % 3 == 0
              ? previous.get(Math.min(3, previous.size() - 1))
              : previous.get(previous.size() - 1) + 1;
      assertThat(sink.offers.get(i).get(0)).as("offer %d", i).isEqualTo(expectedStart);
    }
    await("acknowledged", () -> wal.cursor("kafka").ackedOffset() == 1000);
    SinkMetrics m = dispatcher.metrics("kafka");
    assertThat(m.retries()).isGreaterThan(0);
    assertThat(m.deliveredRecords()).isEqualTo(1000);
    assertThat(m.lastInterruption()).contains("timeout");
  }

  @Test
  void rejectedRecordsGoToTheDeadLetterLogWithTheSinksReasonAndTheStreamContinues() {
    openLog(Clock.systemUTC());
    append(wal, 0, 100);
    AtomicInteger calls = new AtomicInteger();
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch -> {
                  List<Delivery.Rejection> rejected = new ArrayList<>();
                  for (WalRecord r : batch) {
                    if (r.offset() == 7 || r.offset() == 70) {
                      rejected.add(new Delivery.Rejection(r.offset(), "record_too_large", "big"));
                    }
                  }
                  // The first batch is cut short after offset 7 was rejected: the rejection
                  // before the resume offset counts, and 7 is not offered again.
                  if (calls.incrementAndGet() == 1) {
                    return new Delivery.Interrupted(10, rejected, "network");
                  }
                  return new Delivery.Delivered(rejected);
                });
    dispatcher =
        Dispatcher.start(wal, List.of(sink), FAST, Clock.systemUTC(), DispatcherListener.NONE);

    await("acknowledged", () -> wal.cursor("kafka").ackedOffset() == 100);
    List<DeadLetter> dead = wal.deadLetters();
    assertThat(dead).extracting(DeadLetter::walOffset).containsExactly(7L, 70L);
    assertThat(dead)
        .allSatisfy(
            d -> {
              assertThat(d.source()).isEqualTo("kafka");
              assertThat(d.reasonCode()).isEqualTo("record_too_large");
              assertThat(d.detail()).isEqualTo("big");
            });
    assertThat(dead.get(0).body()).isEqualTo(Fixtures.body(7));
    assertThat(wal.state("kafka", 7)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 8)).contains(MessageState.ACKED);
    assertThat(sink.offers.stream().flatMap(List::stream).filter(o -> o == 7)).hasSize(1);
    assertThat(sink.accepted).hasSize(98).doesNotContain(7L, 70L);
    assertThat(dispatcher.metrics("kafka").deadLetters()).isEqualTo(2);
    assertThat(dispatcher.metrics("kafka").deliveredRecords()).isEqualTo(98);
  }

  @Test
  void aSinkThatThrowsIsTreatedAsInterruptedAtTheStartOfItsBatch() {
    openLog(Clock.systemUTC());
    append(wal, 0, 200);
    AtomicInteger calls = new AtomicInteger();
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch -> {
                  if (calls.incrementAndGet() <= 3) {
                    throw new IllegalStateException("bug in the sink");
                  }
                  return Delivery.Delivered.all();
                });
    dispatcher =
        Dispatcher.start(wal, List.of(sink), FAST, Clock.systemUTC(), DispatcherListener.NONE);

    await("all accepted", () -> sink.accepted.size() == 200);
    assertThat(sink.accepted).containsExactlyElementsOf(range(0, 200));
    assertThat(sink.offers.subList(0, 4)).allSatisfy(b -> assertThat(b.get(0)).isZero());
    SinkMetrics m = dispatcher.metrics("kafka");
    assertThat(m.sinkFailures()).isEqualTo(3);
    assertThat(m.retries()).isEqualTo(3);
    assertThat(m.lastInterruption())
        .hasValueSatisfying(r -> assertThat(r).contains("bug in the sink"));
  }

  @Test
  void anOutcomeThatWouldSkipRecordsIsRefusedAndTheBatchRetried() {
    openLog(Clock.systemUTC());
    append(wal, 0, 10);
    AtomicInteger calls = new AtomicInteger();
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch ->
                    calls.incrementAndGet() == 1
                        // beyond the batch: acknowledging it would skip records never offered
                        ? new Delivery.Interrupted(1_000, List.of(), "confused")
                        : Delivery.Delivered.all());
    dispatcher =
        Dispatcher.start(wal, List.of(sink), FAST, Clock.systemUTC(), DispatcherListener.NONE);

    await("acknowledged", () -> wal.cursor("kafka").ackedOffset() == 10);
    assertThat(sink.offers).hasSize(2);
    assertThat(sink.offers.get(1)).containsExactlyElementsOf(range(0, 10));
    assertThat(dispatcher.metrics("kafka").sinkFailures()).isEqualTo(1);
  }

  @Test
  void backoffDoublesToItsCapWithJitterAndStartsOverAfterADelivery() {
    openLog(Clock.systemUTC());
    append(wal, 0, 5);
    AtomicInteger calls = new AtomicInteger();
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch ->
                    calls.incrementAndGet() <= 8
                        ? new Delivery.Interrupted(batch.get(0).offset(), List.of(), "down")
                        : Delivery.Delivered.all());
    List<Duration> pauses = new CopyOnWriteArrayList<>();
    // A "random" source at 3/4 of its range: every delay is 3/4 of its ceiling.
    Random threeQuarters =
        new Random() {
          @Override
          public double nextDouble() {
            return 0.75;
          }
        };
    DispatcherSettings settings = FAST.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2));
    dispatcher =
        Dispatcher.start(
            wal,
            List.of(sink),
            settings,
            Clock.systemUTC(),
            DispatcherListener.NONE,
            threeQuarters,
            pauses::add);

    await("delivered after the outage", () -> sink.accepted.size() == 5);
    assertThat(pauses)
        .containsExactly(
            Duration.ofMillis(75),
            Duration.ofMillis(150),
            Duration.ofMillis(300),
            Duration.ofMillis(600),
            Duration.ofMillis(1200),
            Duration.ofMillis(1500),
            Duration.ofMillis(1500),
            Duration.ofMillis(1500));

    // A new outage starts from the first step again.
    calls.set(7);
    append(wal, 5, 1);
    await("the second outage retried", () -> pauses.size() == 9);
    assertThat(pauses.get(8)).isEqualTo(Duration.ofMillis(75));
  }

  @Test
  void aSinkThatKeepsMakingProgressIsRetriedWithoutGrowingBackoff() {
    openLog(Clock.systemUTC());
    append(wal, 0, 40);
    AtomicInteger calls = new AtomicInteger();
    // Three attempts that get nothing through, then a slow sink: one record per call, each call
    // cut short after it, until the backlog is gone.
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch -> {
                  long start = batch.get(0).offset();
                  if (calls.incrementAndGet() <= 3) {
                    return new Delivery.Interrupted(start, List.of(), "down");
                  }
                  return batch.size() == 1
                      ? Delivery.Delivered.all()
                      : new Delivery.Interrupted(start + 1, List.of(), "slow");
                });
    List<Duration> pauses = new CopyOnWriteArrayList<>();
    Random threeQuarters =
        new Random() {
          @Override
          public double nextDouble() {
            return 0.75;
          }
        };
    DispatcherSettings settings = FAST.withBackoff(Duration.ofMillis(100), Duration.ofSeconds(30));
    dispatcher =
        Dispatcher.start(
            wal,
            List.of(sink),
            settings,
            Clock.systemUTC(),
            DispatcherListener.NONE,
            threeQuarters,
            pauses::add);

    await("all accepted", () -> sink.accepted.size() == 40);
    assertThat(sink.accepted).containsExactlyElementsOf(range(0, 40));
    // 3 failed attempts double the delay; each partial delivery (about 39) starts over.
    assertThat(pauses).hasSizeGreaterThan(3 + 10);
    assertThat(pauses.subList(0, 3))
        .containsExactly(Duration.ofMillis(75), Duration.ofMillis(150), Duration.ofMillis(300));
    assertThat(pauses.subList(3, pauses.size()))
        .as("after a partial delivery the backoff starts from its first step")
        .containsOnly(Duration.ofMillis(75));
  }

  @Test
  void theListenerHearsEachOutageOnceWhenItStartsAndWhenItEnds() {
    MutableClock clock = MutableClock.atFixedStart();
    openLog(clock);
    append(wal, 0, 20);
    AtomicInteger failuresLeft = new AtomicInteger(5);
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch -> {
                  if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    clock.advance(Duration.ofSeconds(1));
                    return new Delivery.Interrupted(
                        batch.get(0).offset(), List.of(), "broker unreachable");
                  }
                  return Delivery.Delivered.all();
                });
    List<String> heard = new CopyOnWriteArrayList<>();
    DispatcherListener listener =
        new DispatcherListener() {
          @Override
          public void upstreamInterrupted(String s, String reason, Instant at) {
            heard.add("interrupted " + s + " " + reason + " at " + at);
          }

          @Override
          public void upstreamRestored(String s, Duration outage, long retries, Instant at) {
            heard.add("restored " + s + " after " + outage + " and " + retries + " retries");
          }
        };
    dispatcher = Dispatcher.start(wal, List.of(sink), FAST, clock, listener);

    await("delivered", () -> sink.accepted.size() == 20);
    await("restored heard", () -> heard.size() == 2);
    assertThat(heard)
        .containsExactly(
            "interrupted kafka broker unreachable at 2024-01-01T00:00:01Z",
            "restored kafka after PT4S and 5 retries");

    failuresLeft.set(2);
    append(wal, 20, 5);
    await("second outage heard", () -> heard.size() == 4);
    assertThat(heard.get(2)).startsWith("interrupted kafka");
    assertThat(heard.get(3)).isEqualTo("restored kafka after PT1S and 2 retries");
  }

  @Test
  void aListenerThatThrowsDoesNotStopDelivery() {
    openLog(Clock.systemUTC());
    append(wal, 0, 10);
    AtomicInteger calls = new AtomicInteger();
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch ->
                    calls.incrementAndGet() == 1
                        ? new Delivery.Interrupted(batch.get(0).offset(), List.of(), "down")
                        : Delivery.Delivered.all());
    DispatcherListener throwing =
        new DispatcherListener() {
          @Override
          public void upstreamInterrupted(String s, String reason, Instant at) {
            throw new IllegalStateException("listener bug");
          }
        };
    dispatcher = Dispatcher.start(wal, List.of(sink), FAST, Clock.systemUTC(), throwing);
    await("delivered", () -> sink.accepted.size() == 10);
  }

  @Test
  void metricsShowTheBacklogItsSizeAndTheAgeOfTheOldestUnsentRecord() {
    MutableClock clock = MutableClock.atFixedStart();
    openLog(clock);
    append(wal, 0, 100); // bodies of 13 bytes, written at the start instant
    clock.advance(Duration.ofSeconds(30));
    java.util.concurrent.atomic.AtomicBoolean up = new java.util.concurrent.atomic.AtomicBoolean();
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(
                batch ->
                    up.get()
                        ? Delivery.Delivered.all()
                        : new Delivery.Interrupted(batch.get(0).offset(), List.of(), "down"));
    dispatcher = Dispatcher.start(wal, List.of(sink), FAST, clock, DispatcherListener.NONE);

    await("interrupted", () -> dispatcher.metrics("kafka").interrupted());
    SinkMetrics down = dispatcher.metrics("kafka");
    assertThat(down.backlogRecords()).isEqualTo(100);
    assertThat(down.backlogBytesEstimate()).isEqualTo(100 * 13);
    assertThat(down.oldestUnsentAge()).isEqualTo(Duration.ofSeconds(30));
    assertThat(down.state())
        .isEqualTo(new SinkState.Interrupted(Instant.parse("2024-01-01T00:00:30Z"), "down"));
    assertThat(down.deliveredRecords()).isZero();

    clock.advance(Duration.ofSeconds(5));
    assertThat(dispatcher.metrics("kafka").oldestUnsentAge()).isEqualTo(Duration.ofSeconds(35));

    up.set(true);
    await("drained", () -> dispatcher.metrics("kafka").backlogRecords() == 0);
    SinkMetrics drained = dispatcher.metrics("kafka");
    assertThat(drained.oldestUnsentAge()).isZero();
    assertThat(drained.deliveredRecords()).isEqualTo(100);
    assertThat(drained.deliveredBytes()).isEqualTo(100 * 13);
    assertThat(drained.sendRatePerSecond()).isGreaterThan(0);
    assertThat(drained.state()).isInstanceOf(SinkState.Delivering.class);
    assertThat(drained.lastInterruption()).contains("down");
  }

  @Test
  void closingAndReopeningTheLogResumesAtTheCursorWithNothingLost() {
    openLog(Clock.systemUTC());
    append(wal, 0, 1000);
    // The first sink accepts 400 records, then its broker is gone for good.
    AtomicInteger acceptedSoFar = new AtomicInteger();
    ScriptedSink first =
        new ScriptedSink("kafka")
            .behave(
                batch -> {
                  long start = batch.get(0).offset();
                  if (start >= 400) {
                    return new Delivery.Interrupted(start, List.of(), "gone");
                  }
                  long end = Math.min(400, batch.get(batch.size() - 1).offset() + 1);
                  acceptedSoFar.addAndGet((int) (end - start));
                  return end == batch.get(batch.size() - 1).offset() + 1
                      ? Delivery.Delivered.all()
                      : new Delivery.Interrupted(end, List.of(), "gone");
                });
    dispatcher =
        Dispatcher.start(wal, List.of(first), FAST, Clock.systemUTC(), DispatcherListener.NONE);
    await("the first 400 accepted", () -> wal.cursor("kafka").ackedOffset() == 400);
    dispatcher.close();
    assertThat(first.closes).hasValue(1);
    wal.close();

    openLog(Clock.systemUTC());
    append(wal, 1000, 100);
    ScriptedSink second = new ScriptedSink("kafka");
    dispatcher =
        Dispatcher.start(wal, List.of(second), FAST, Clock.systemUTC(), DispatcherListener.NONE);
    await("the rest accepted", () -> second.accepted.size() == 700);

    assertThat(first.accepted).containsExactlyElementsOf(range(0, 400));
    assertThat(second.accepted).containsExactlyElementsOf(range(400, 1100));
  }

  @Test
  void closeStopsPromptlyWhileASinkIsInBackoffAndLeavesTheRestInTheLog() {
    openLog(Clock.systemUTC());
    append(wal, 0, 10);
    ScriptedSink sink =
        new ScriptedSink("kafka")
            .behave(b -> new Delivery.Interrupted(b.get(0).offset(), List.of(), "down"));
    // Five minutes of backoff, and as long a close timeout: a close that waited for either (or
    // that interrupted the sleeping thread only after its close timeout) would take minutes.
    DispatcherSettings slow =
        new DispatcherSettings(
            64,
            1024 * 1024,
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMillis(50),
            Duration.ofMinutes(5));
    dispatcher =
        Dispatcher.start(wal, List.of(sink), slow, Clock.systemUTC(), DispatcherListener.NONE);
    await("interrupted", () -> dispatcher.metrics("kafka").interrupted());

    long started = System.nanoTime();
    dispatcher.close();
    // Promptly: generous for a busy machine, far below the backoff and the close timeout.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    assertThat(wal.cursor("kafka").ackedOffset()).isZero();
    assertThat(wal.cursor("kafka").backlogRecords()).isEqualTo(10);
    dispatcher.close(); // idempotent
    assertThat(sink.closes).hasValue(1);
  }

  @Test
  void aSinkWhoseDeliveryOutlivesTheInterruptIsNotClosedUnderIt() throws Exception {
    openLog(Clock.systemUTC());
    append(wal, 0, 10);
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean deliveringWhenClosed = new AtomicBoolean();
    AtomicBoolean delivering = new AtomicBoolean();
    ScriptedSink stubborn =
        new ScriptedSink("kafka") {
          @Override
          public void close() {
            deliveringWhenClosed.compareAndSet(false, delivering.get());
            super.close();
          }
        }.behave(
            batch -> {
              delivering.set(true);
              inside.countDown();
              // A delivery that swallows interrupts, as a blocking client library may.
              while (true) {
                try {
                  release.await();
                  break;
                } catch (InterruptedException e) {
                  // ignored
                }
              }
              delivering.set(false);
              return Delivery.Delivered.all();
            });
    ScriptedSink healthy = new ScriptedSink("store");
    DispatcherSettings quickClose =
        new DispatcherSettings(
            64,
            1024 * 1024,
            Duration.ofMillis(1),
            Duration.ofMillis(20),
            Duration.ofMillis(50),
            Duration.ofMillis(100));
    dispatcher =
        Dispatcher.start(
            wal,
            List.of(stubborn, healthy),
            quickClose,
            Clock.systemUTC(),
            DispatcherListener.NONE);
    assertThat(inside.await(15, TimeUnit.SECONDS)).as("the delivery started").isTrue();
    await("the healthy sink delivered", () -> healthy.accepted.size() == 10);

    dispatcher.close(); // waits the close timeout, interrupts, waits again, gives up on it
    assertThat(stubborn.closes).as("not closed while its delivery runs").hasValue(0);
    assertThat(healthy.closes).hasValue(1);

    release.countDown();
    await("closed once its delivery returned", () -> stubborn.closes.get() == 1);
    assertThat(deliveringWhenClosed).as("closed while delivering").isFalse();
    // What it delivered counts; the worker stops after that step.
    await("its batch acknowledged", () -> wal.cursor("kafka").ackedOffset() == 10);
    assertThat(stubborn.offerCount()).isEqualTo(1);
  }

  @Test
  void anInvalidNameIsRefusedBeforeAnyCursorIsOpenedAndEverySinkGivenIsClosed() {
    openLog(Clock.systemUTC());
    ScriptedSink first = new ScriptedSink("kafka");
    ScriptedSink bad = new ScriptedSink("Not A Cursor");
    ScriptedSink last = new ScriptedSink("store");
    assertThatThrownBy(
            () ->
                Dispatcher.start(
                    wal,
                    List.of(first, bad, last),
                    FAST,
                    Clock.systemUTC(),
                    DispatcherListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Not A Cursor");
    assertThat(List.of(first, bad, last)).allSatisfy(s -> assertThat(s.closes).hasValue(1));
    assertThat(wal.cursorNames()).doesNotContain("kafka", "store");
  }

  @Test
  void whenALaterCursorCannotBeOpenedTheSinksAlreadyHandedOverAreClosed() {
    openLog(Clock.systemUTC());
    WriteAheadLog failing =
        new DelegatingLog(wal) {
          @Override
          public WalCursor cursor(String name) {
            if (name.equals("store")) {
              throw new UncheckedIOException(new IOException("disk gone"));
            }
            return super.cursor(name);
          }
        };
    ScriptedSink first = new ScriptedSink("kafka");
    ScriptedSink second = new ScriptedSink("store");
    assertThatThrownBy(
            () ->
                Dispatcher.start(
                    failing,
                    List.of(first, second),
                    FAST,
                    Clock.systemUTC(),
                    DispatcherListener.NONE))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("disk gone");
    assertThat(first.closes).as("its cursor was opened, then the start failed").hasValue(1);
    assertThat(second.closes).hasValue(1);
    assertThat(first.offers).as("nothing was delivered").isEmpty();
  }

  /** A log that forwards everything to another; tests override what should fail. */
  private static class DelegatingLog implements WriteAheadLog {
    private final WriteAheadLog log;

    DelegatingLog(WriteAheadLog log) {
      this.log = log;
    }

    @Override
    public AppendOutcome append(byte type, byte[] body) {
      return log.append(type, body);
    }

    @Override
    public long startOffset() {
      return log.startOffset();
    }

    @Override
    public long durableEndOffset() {
      return log.durableEndOffset();
    }

    @Override
    public boolean awaitDurable(long offset, Duration timeout) throws InterruptedException {
      return log.awaitDurable(offset, timeout);
    }

    @Override
    public WalCursor cursor(String name) {
      return log.cursor(name);
    }

    @Override
    public List<String> cursorNames() {
      return log.cursorNames();
    }

    @Override
    public Optional<MessageState> state(String cursor, long offset) {
      return log.state(cursor, offset);
    }

    @Override
    public DeadLetter deadLetter(String source, String reasonCode, String detail, byte[] body) {
      return log.deadLetter(source, reasonCode, detail, body);
    }

    @Override
    public List<DeadLetter> deadLetters() {
      return log.deadLetters();
    }

    @Override
    public List<LossRange> losses() {
      return log.losses();
    }

    @Override
    public RecoveryReport recoveryReport() {
      return log.recoveryReport();
    }

    @Override
    public WalMetrics metrics() {
      return log.metrics();
    }

    @Override
    public void close() {
      log.close();
    }
  }

  @Test
  void sinksMustHaveDistinctNames() {
    openLog(Clock.systemUTC());
    assertThatThrownBy(
            () ->
                Dispatcher.start(
                    wal,
                    List.of(new ScriptedSink("kafka"), new ScriptedSink("kafka")),
                    FAST,
                    Clock.systemUTC(),
                    DispatcherListener.NONE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kafka");
  }
}
