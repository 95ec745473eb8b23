package io.auditgate.wal;

import static io.auditgate.wal.WalFixtures.TYPE;
import static io.auditgate.wal.WalFixtures.drain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalException;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalMetrics;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WalWriteFailedException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
  private static final int PRODUCERS = 16;
  private static final int PER_PRODUCER = 400;

  /** Small segments, so that batches also cross segment boundaries. */
  private static final WalConfig CONFIG =
      new WalConfig(
          DataSize.ofKibibytes(16),
          DataSize.ofBytes(512),
          DataSize.ofKibibytes(4),
          null,
          DataSize.ofMebibytes(64),
          null,
          null);

  @TempDir Path dir;

  private SegmentedWal wal;

  @AfterEach
  void closeLog() {
    if (wal != null) {
      wal.close();
    }
  }

  private SegmentedWal open() {
    wal = SegmentedWal.open(dir, CONFIG, Clock.systemUTC(), WalListener.NONE);
    return wal;
  }

  /** One appended record as its producer saw it. */
  private record Sent(int producer, int sequence, CompletableFuture<Long> durable) {}

  /** A body that says who sent it and in which order: producer, sequence, then padding. */
  private static byte[] body(int producer, int sequence) {
    int padding = (producer * 31 + sequence) % 40; // varied sizes
    return ByteBuffer.allocate(8 + padding).putInt(producer).putInt(sequence).array();
  }

  private static int producerOf(WalRecord record) {
    return ByteBuffer.wrap(record.body()).getInt(0);
  }

  private static int sequenceOf(WalRecord record) {
    return ByteBuffer.wrap(record.body()).getInt(4);
  }

  @Test
  @Timeout(30)
  void concurrentAppendsAreAllDurableInEachProducersOrderWithContiguousOffsets() throws Exception {
    open();
    CountDownLatch start = new CountDownLatch(1);
    List<List<Sent>> sentByProducer = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      List<Sent> sent = new ArrayList<>();
      sentByProducer.add(sent);
      Thread thread =
          new Thread(
              () -> {
                awaitQuietly(start);
                for (int s = 0; s < PER_PRODUCER; s++) {
                  AppendOutcome outcome = wal.append(TYPE, body(producer, s));
                  sent.add(new Sent(producer, s, ((AppendOutcome.Accepted) outcome).durable()));
                }
              },
              "producer-" + p);
      threads.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(20_000);
      assertThat(thread.isAlive()).as("%s finished", thread.getName()).isFalse();
    }

    int total = PRODUCERS * PER_PRODUCER;
    Map<Long, Sent> byOffset = new HashMap<>();
    for (List<Sent> sent : sentByProducer) {
      assertThat(sent).hasSize(PER_PRODUCER);
      long previous = -1;
      for (Sent s : sent) {
        long offset = s.durable().get(10, TimeUnit.SECONDS);
        assertThat(offset).as("a producer's appends get rising offsets").isGreaterThan(previous);
        previous = offset;
        assertThat(byOffset.put(offset, s)).as("offset %d given twice", offset).isNull();
      }
    }
    assertThat(byOffset.keySet()).hasSize(total);
    assertThat(byOffset.keySet()).allSatisfy(o -> assertThat(o).isBetween(0L, total - 1L));
    assertThat(wal.durableEndOffset()).isEqualTo(total);

    WalMetrics metrics = wal.metrics();
    assertThat(metrics.appendedRecords()).isEqualTo(total);
    assertThat(metrics.batches())
        .as("group commit shares forces between appenders")
        .isLessThan(metrics.appendedRecords());
    assertThat(metrics.batchRecords().count()).isEqualTo(metrics.batches());
    assertThat(metrics.batchRecords().sum()).isEqualTo(total);
    assertThat(metrics.forceMicros().count()).isGreaterThanOrEqualTo(metrics.batches());
    assertThat(metrics.segments()).isGreaterThan(1);

    wal.close();
    open();
    List<WalRecord> all = drain(wal.cursor("check"));
    assertThat(all).hasSize(total);
    int[] nextSequence = new int[PRODUCERS];
    for (int i = 0; i < all.size(); i++) {
      WalRecord record = all.get(i);
      assertThat(record.offset()).as("offsets are contiguous").isEqualTo(i);
      int producer = producerOf(record);
      assertThat(sequenceOf(record))
          .as("producer %d's records in its own order, none lost or doubled", producer)
          .isEqualTo(nextSequence[producer]++);
      Sent sent = byOffset.get(record.offset());
      assertThat(sent.producer()).isEqualTo(producer);
      assertThat(sent.sequence()).isEqualTo(sequenceOf(record));
      assertThat(record.body()).isEqualTo(body(producer, sequenceOf(record)));
    }
    assertThat(nextSequence).containsOnly(PER_PRODUCER);
  }

  @Test
  @Timeout(30)
  void closeWhileAppendingCompletesEveryFutureAndKeepsEveryAcknowledgedRecord() throws Exception {
    open();
    AtomicBoolean refusedClosed = new AtomicBoolean();
    CountDownLatch running = new CountDownLatch(PRODUCERS);
    List<List<Sent>> sentByProducer = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int p = 0; p < PRODUCERS; p++) {
      int producer = p;
      List<Sent> sent = new ArrayList<>();
      sentByProducer.add(sent);
      Thread thread =
          new Thread(
              () -> {
                running.countDown();
                for (int s = 0; s < 1_000_000; s++) {
                  AppendOutcome outcome = wal.append(TYPE, body(producer, s));
                  if (outcome instanceof AppendOutcome.Refused refused) {
                    if (refused.reason() == AppendOutcome.Reason.CLOSED) {
                      refusedClosed.set(true);
                    }
                    return;
                  }
                  CompletableFuture<Long> durable = ((AppendOutcome.Accepted) outcome).durable();
                  sent.add(new Sent(producer, s, durable));
                  if (s % 32 == 31) {
                    // Like a real producer, keep a bounded number of appends in flight.
                    durable.handle((offset, failure) -> offset).join();
                  }
                }
              },
              "producer-" + p);
      threads.add(thread);
      thread.start();
    }
    running.await();
    WalFixtures.await(
        "some appends durable", Duration.ofSeconds(10), () -> wal.durableEndOffset() > 2000);

    wal.close();

    for (Thread thread : threads) {
      thread.join(10_000);
      assertThat(thread.isAlive()).as("%s stopped after close", thread.getName()).isFalse();
    }
    assertThat(refusedClosed).as("appends after close are refused as CLOSED").isTrue();
    assertThat(wal.append(TYPE, body(0, 0)))
        .isEqualTo(
            new AppendOutcome.Refused(AppendOutcome.Reason.CLOSED, "write-ahead log is closed"));

    Map<Long, Sent> stored = new HashMap<>();
    int failed = 0;
    for (List<Sent> sent : sentByProducer) {
      for (Sent s : sent) {
        try {
          long offset = s.durable().get(5, TimeUnit.SECONDS);
          assertThat(stored.put(offset, s)).isNull();
        } catch (TimeoutException e) {
          fail("close() left producer %d's append %d hanging", s.producer(), s.sequence());
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(WalException.class);
          assertThat(e.getCause()).isNotInstanceOf(WalWriteFailedException.class);
          failed++;
        }
      }
    }
    assertThat(stored).isNotEmpty();

    open();
    assertThat(wal.recoveryReport().cleanShutdown()).isTrue();
    assertThat(wal.recoveryReport().bytesTruncated()).isZero();
    List<WalRecord> all = drain(wal.cursor("check"));
    assertThat(all)
        .as("everything acknowledged is there (%d failed with 'closed')", failed)
        .hasSizeGreaterThanOrEqualTo(stored.size());
    for (Map.Entry<Long, Sent> entry : stored.entrySet()) {
      WalRecord record = all.get(Math.toIntExact(entry.getKey()));
      assertThat(record.offset()).isEqualTo(entry.getKey());
      Sent sent = entry.getValue();
      assertThat(record.body()).isEqualTo(body(sent.producer(), sent.sequence()));
    }
  }

  @Test
  @Timeout(30)
  void lingerGathersAppendsThatArriveWithinItIntoOneForce() throws Exception {
    WalConfig lingering =
        new WalConfig(
            CONFIG.segmentSize(),
            CONFIG.maxRecordSize(),
            null,
            Duration.ofMillis(200),
            CONFIG.maxTotalSize(),
            null,
            null);
    wal = SegmentedWal.open(dir, lingering, Clock.systemUTC(), WalListener.NONE);
    List<CompletableFuture<Long>> futures = new ArrayList<>();

    for (int s = 0; s < 20; s++) {
      futures.add(((AppendOutcome.Accepted) wal.append(TYPE, body(0, s))).durable());
    }
    for (int s = 0; s < 20; s++) {
      assertThat(futures.get(s).get(5, TimeUnit.SECONDS)).isEqualTo(s);
    }

    assertThat(wal.metrics().appendedRecords()).isEqualTo(20);
    assertThat(wal.metrics().batches()).isLessThanOrEqualTo(2);
  }

  @Test
  @Timeout(30)
  void awaitDurableWakesUpForAnotherThreadsAppend() throws Exception {
    open();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return wal.awaitDurable(0, Duration.ofSeconds(10));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(wal.awaitDurable(0, Duration.ofMillis(50))).isFalse();

    WalFixtures.appendDurably(wal, body(0, 0));

    assertThat(waiter.get(5, TimeUnit.SECONDS)).isTrue();
    assertThat(wal.awaitDurable(1, Duration.ofMillis(10))).isFalse();
  }

  @Test
  @Timeout(30)
  void closeWakesUpAThreadWaitingForDurability() throws Exception {
    open();
    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return wal.awaitDurable(0, Duration.ofSeconds(20));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(50);

    wal.close();

    assertThat(waiter.get(5, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  @Timeout(30)
  void concurrentReadersSeeOnlyDurableRecordsInOrderWhileWritersAppend() throws Exception {
    open();
    int total = 3000;
    WalCursor cursor = wal.cursor("reader");
    CompletableFuture<List<WalRecord>> reader =
        CompletableFuture.supplyAsync(
            () -> {
              List<WalRecord> got = new ArrayList<>();
              while (got.size() < total) {
                long durableBefore = wal.durableEndOffset();
                List<WalRecord> batch = cursor.poll(50, Long.MAX_VALUE);
                for (WalRecord r : batch) {
                  if (r.offset() >= wal.durableEndOffset()) {
                    throw new AssertionError("served a record that is not durable: " + r);
                  }
                }
                got.addAll(batch);
                if (batch.isEmpty()) {
                  try {
                    wal.awaitDurable(durableBefore, Duration.ofMillis(100));
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                }
              }
              return got;
            });
    List<Thread> writers = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      int producer = p;
      Thread thread =
          new Thread(
              () -> {
                for (int s = 0; s < total / 4; s++) {
                  wal.append(TYPE, body(producer, s));
                }
              });
      writers.add(thread);
      thread.start();
    }
    for (Thread thread : writers) {
      thread.join();
    }

    List<WalRecord> got = reader.get(20, TimeUnit.SECONDS);

    assertThat(got).hasSize(total);
    for (int i = 0; i < total; i++) {
      assertThat(got.get(i).offset()).isEqualTo(i);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
