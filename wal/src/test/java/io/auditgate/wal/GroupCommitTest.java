package io.auditgate.wal;

import static io.auditgate.wal.FaultFixtures.accepted;
import static io.auditgate.wal.FaultFixtures.await;
import static io.auditgate.wal.FaultFixtures.failureOf;
import static io.auditgate.wal.FaultFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.metrics.HistogramSnapshot;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link GroupCommitWriter} guarantees about batching, checked through the log's metrics and a
 * disk whose {@code force} the test can slow down or hold.
 *
 * <p>From {@code fillBatch}: a batch is everything queued when the writer takes its first record,
 * up to {@code max_batch_size} bytes (the record that crosses the bound is the last one); with
 * {@code linger > 0} the writer then waits until {@code linger} after it took the first record for
 * more, unless the batch is full or the log is closing. So a lone producer's append is durable no
 * sooner than {@code linger} after it was made, and linger never merges a lone producer's appends.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GroupCommitTest {
  @TempDir Path dir;

  private final FaultyFileChannel.Faults disk = new FaultyFileChannel.Faults();

  private SegmentedWal open(WalConfig config) {
    return SegmentedWal.open(
        dir, config, Clock.systemUTC(), WalListener.NONE, FaultyFileChannel.opener(disk));
  }

  /**
   * 64 producers, each appending and waiting for durability before its next append, on a disk whose
   * {@code force} takes at least 1 ms: appends that arrive during a force share the next one, and
   * every commit force is measured once. In 4 KiB segments the log also rolls: a batch that spans a
   * roll forces each segment it wrote (so there may be more commit forces than batches), and the
   * header force of a new segment is not a commit force.
   */
  @ParameterizedTest(name = "segment size {0} bytes")
  @ValueSource(longs = {64L << 20, 4096})
  void concurrentProducersShareForces(long segmentBytes) throws Exception {
    int producers = 64;
    int perProducer = 40;
    long records = (long) producers * perProducer;
    disk.hook((path, number) -> parkAtLeast(Duration.ofMillis(1)));
    try (SegmentedWal wal = open(FaultFixtures.config(segmentBytes, 1024))) {
      long forcesAtOpen = disk.forces();
      Set<Long> offsets = ConcurrentHashMap.newKeySet();
      List<Throwable> errors = new CopyOnWriteArrayList<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < producers; t++) {
        int producer = t;
        Thread thread =
            new Thread(
                () -> {
                  try {
                    start.await();
                    for (int i = 0; i < perProducer; i++) {
                      byte[] body = ("p" + producer + "-" + i).getBytes(StandardCharsets.UTF_8);
                      offsets.add(await(accepted(wal.append(RecordTypes.TELEMETRY, body))));
                    }
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                });
        thread.start();
        threads.add(thread);
      }
      start.countDown();
      for (Thread thread : threads) {
        thread.join(FaultFixtures.PATIENCE.toMillis());
        assertThat(thread.isAlive()).as("producer finished").isFalse();
      }
      assertThat(errors).isEmpty();
      assertThat(offsets)
          .isEqualTo(LongStream.range(0, records).boxed().collect(Collectors.toSet()));

      WalMetrics metrics = wal.metrics();
      long forces = disk.forces() - forcesAtOpen;
      long newSegments = metrics.segments() - 1;
      long commitForces = forces - newSegments;
      assertThat(metrics.appendedRecords()).isEqualTo(records);
      assertThat(metrics.durableEndOffset()).isEqualTo(records);
      assertThat(metrics.batches())
          .as("group commits for %d records from %d producers", records, producers)
          .isLessThanOrEqualTo(records / 8);
      assertThat(metrics.batchRecords().count()).isEqualTo(metrics.batches());
      assertThat(metrics.batchRecords().sum()).isEqualTo(records);
      assertThat(metrics.forceMicros().count())
          .as("one latency per commit force (%d forces, %d new segments)", forces, newSegments)
          .isEqualTo(commitForces)
          .isGreaterThanOrEqualTo(metrics.batches());
      if (newSegments == 0) {
        assertThat(metrics.batches()).as("without a roll, one force per batch").isEqualTo(forces);
      }
      assertThat(metrics.forceMicros().sum())
          .as("each force took at least 1 ms")
          .isGreaterThanOrEqualTo(commitForces * 1000);
    }
  }

  /**
   * With no linger, whatever is queued while a force runs becomes the next batch, whole; and
   * nothing is acknowledged or readable while its force has not returned.
   */
  @Test
  void appendsQueuedDuringAForceFormTheNextBatch() throws Exception {
    ForceGate gate = new ForceGate();
    disk.hook(gate);
    try (SegmentedWal wal = open(WalConfig.defaults())) {
      gate.holdNextForce();
      CompletableFuture<Long> first = accepted(wal.append(RecordTypes.TELEMETRY, bytes("first")));
      gate.awaitHeld();
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        queued.add(accepted(wal.append(RecordTypes.TELEMETRY, bytes("queued-" + i))));
      }
      assertThat(first).as("acknowledged before its force returned").isNotDone();
      assertThat(queued).noneMatch(CompletableFuture::isDone);
      assertThat(wal.durableEndOffset()).isZero();
      assertThat(wal.cursor("early").poll(10, Long.MAX_VALUE)).isEmpty();

      gate.release();
      assertThat(await(first)).isZero();
      for (int i = 0; i < queued.size(); i++) {
        assertThat(await(queued.get(i))).isEqualTo(i + 1);
      }
      WalMetrics metrics = wal.metrics();
      assertThat(metrics.batches()).isEqualTo(2);
      assertThat(metrics.forceMicros().count()).isEqualTo(2);
      assertBatchSizes(metrics.batchRecords(), 1, 100);
    }
  }

  /** A batch stops at the first record that brings it to {@code max_batch_size} bytes. */
  @Test
  void aBatchIsBoundedByMaxBatchSize() throws Exception {
    ForceGate gate = new ForceGate();
    disk.hook(gate);
    WalConfig config = new WalConfig(null, null, DataSize.ofKibibytes(4), null, null, null, null);
    try (SegmentedWal wal = open(config)) {
      gate.holdNextForce();
      CompletableFuture<Long> first = accepted(wal.append(RecordTypes.TELEMETRY, bytes("first")));
      gate.awaitHeld();
      List<CompletableFuture<Long>> queued = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        // 1,025-byte frames: the 4th brings a batch to 4,100 bytes, past the 4,096-byte bound
        queued.add(accepted(wal.append(RecordTypes.TELEMETRY, new byte[1000])));
      }
      gate.release();
      await(first);
      for (CompletableFuture<Long> future : queued) {
        await(future);
      }
      assertBatchSizes(wal.metrics().batchRecords(), 1, 4, 4, 2);
    }
  }

  /**
   * With a linger, a lone producer (append, wait, append) waits at least the linger for every
   * append, and gains nothing from it: each record is still its own batch and force.
   */
  @Test
  void lingerDelaysEveryAppendOfALoneProducerByAtLeastTheLinger() {
    Duration linger = Duration.ofMillis(10);
    WalConfig config = new WalConfig(null, null, null, linger, null, null, null);
    try (SegmentedWal wal = open(config)) {
      for (int i = 0; i < 20; i++) {
        long started = System.nanoTime();
        long offset = await(accepted(wal.append(RecordTypes.TELEMETRY, bytes("lone-" + i))));
        long elapsed = System.nanoTime() - started;
        assertThat(offset).isEqualTo(i);
        assertThat(Duration.ofNanos(elapsed))
            .as("latency of append %d", i)
            .isGreaterThanOrEqualTo(linger);
      }
      WalMetrics metrics = wal.metrics();
      assertThat(metrics.batches()).isEqualTo(20);
      assertThat(metrics.forceMicros().count()).isEqualTo(20);
    }
  }

  /** Closing ends the linger early: the batch being gathered is written, not failed. */
  @Test
  void closeWritesTheBatchThatIsLingering() {
    WalConfig config = new WalConfig(null, null, null, Duration.ofSeconds(1), null, null, null);
    CompletableFuture<Long> future;
    try (SegmentedWal wal = open(config)) {
      future = accepted(wal.append(RecordTypes.TELEMETRY, bytes("lingering")));
    }
    assertThat(failureOf(future)).isNull();
    assertThat(future.join()).isZero();
    try (SegmentedWal wal = open(config)) {
      assertThat(readAll(wal, "check")).hasSize(1);
    }
  }

  /** Checks the batch-size histogram holds exactly these batch sizes. */
  private static void assertBatchSizes(HistogramSnapshot histogram, int... sizes) {
    long[] expected = new long[histogram.counts().length];
    long sum = 0;
    for (int size : sizes) {
      // bucket i holds values in (2^(i-1), 2^i]; bucket 0 holds 0 and 1
      int bucket = size <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(size - 1L);
      expected[bucket]++;
      sum += size;
    }
    assertThat(histogram.counts()).isEqualTo(expected);
    assertThat(histogram.sum()).isEqualTo(sum);
  }

  /** Holds one chosen force until the test releases it. */
  private static final class ForceGate implements FaultyFileChannel.ForceHook {
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private final Semaphore held = new Semaphore(0);
    private final CountDownLatch released = new CountDownLatch(1);

    void holdNextForce() {
      holdNext.set(true);
    }

    void awaitHeld() throws InterruptedException {
      assertThat(held.tryAcquire(FaultFixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .as("the writer reached its force")
          .isTrue();
    }

    void release() {
      released.countDown();
    }

    @Override
    public void beforeForce(Path path, long number) throws IOException {
      if (!holdNext.compareAndSet(true, false)) {
        return;
      }
      held.release();
      try {
        if (!released.await(FaultFixtures.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IOException("the test never released the held force");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while held", e);
      }
    }
  }

  private static void parkAtLeast(Duration duration) {
    long deadline = System.nanoTime() + duration.toNanos();
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
