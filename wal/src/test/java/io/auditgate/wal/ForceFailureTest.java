package io.auditgate.wal;

import static io.auditgate.wal.FaultFixtures.accepted;
import static io.auditgate.wal.FaultFixtures.await;
import static io.auditgate.wal.FaultFixtures.failureOf;
import static io.auditgate.wal.FaultFixtures.readAll;
import static io.auditgate.wal.FaultFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WalWriteFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Disk faults injected under the log through {@link ChannelOpener}: a {@code force} that fails (and
 * loses what it did not flush) and a disk that fills up, mid-frame or mid-roll. The log must fail
 * the batch, refuse everything after it, say so, never report success for bytes that were not
 * forced, and reopen with every acknowledged record.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForceFailureTest {
  private static final int PRODUCERS = 8;

  @TempDir Path dir;

  private final FaultyFileChannel.Faults faults = new FaultyFileChannel.Faults();
  private final List<WalEvent> events = new CopyOnWriteArrayList<>();

  private SegmentedWal openFaulty(WalConfig config) {
    return SegmentedWal.open(
        dir, config, Clock.systemUTC(), events::add, FaultyFileChannel.opener(faults));
  }

  private SegmentedWal openReal(WalConfig config, WalListener listener) {
    return SegmentedWal.open(dir, config, Clock.systemUTC(), listener, ChannelOpener.DEFAULT);
  }

  /**
   * Concurrent producers; the Nth force after some acknowledged appends fails and takes the bytes
   * it did not flush with it. Small segments make some of those forces the ones that seal a new
   * segment's header during a roll.
   */
  @ParameterizedTest(name = "force #{0} after arming fails")
  @ValueSource(ints = {1, 2, 3, 5, 8})
  void failedForceFailsItsBatchAndLosesNothingAcknowledged(int nth) throws Exception {
    WalConfig config = FaultFixtures.config(4096, 1000);
    Map<Long, String> acknowledged = new ConcurrentHashMap<>();
    Set<String> failedBodies = ConcurrentHashMap.newKeySet();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<AppendOutcome.Refused> refusals = new CopyOnWriteArrayList<>();
    long durableEnd;
    try (SegmentedWal wal = openFaulty(config)) {
      for (int i = 0; i < 20; i++) {
        String body = "before-" + i;
        acknowledged.put(await(accepted(wal.append((byte) 1, bytes(body)))), body);
      }
      long forcesBefore = faults.forces();
      faults.failForce(nth, true);

      List<Thread> producers = new ArrayList<>();
      for (int t = 0; t < PRODUCERS; t++) {
        int producer = t;
        Thread thread =
            new Thread(
                () ->
                    produceUntilRefused(
                        wal, producer, acknowledged, failures, failedBodies, refusals));
        thread.start();
        producers.add(thread);
      }
      for (Thread producer : producers) {
        producer.join(FaultFixtures.PATIENCE.toMillis());
        assertThat(producer.isAlive()).as("producer finished").isFalse();
      }

      assertThat(failures)
          .as("futures of the failing batch")
          .isNotEmpty()
          .allSatisfy(f -> assertThat(f).isInstanceOf(WalWriteFailedException.class));
      assertThat(refusals)
          .as("every producer is refused once the log failed")
          .hasSize(PRODUCERS)
          .allSatisfy(r -> assertThat(r.reason()).isEqualTo(AppendOutcome.Reason.FAILED));
      assertThat(faults.failedForces()).isEqualTo(1);
      assertThat(faults.forces())
          .as("a failed force is never retried, and nothing is forced after it")
          .isEqualTo(forcesBefore + nth);
      assertThat(events).filteredOn(WalEvent.Failed.class::isInstance).hasSize(1);
      assertThat(wal.metrics().failed()).isTrue();
      assertThat(wal.append((byte) 1, bytes("after-failure")))
          .isInstanceOfSatisfying(
              AppendOutcome.Refused.class,
              r -> assertThat(r.reason()).isEqualTo(AppendOutcome.Reason.FAILED));
      durableEnd = wal.durableEndOffset();
      assertThat(acknowledged.keySet())
          .as("acknowledged offsets are exactly those below the durable end")
          .isEqualTo(LongStream.range(0, durableEnd).boxed().collect(Collectors.toSet()));
    }

    List<WalEvent> reopenEvents = new CopyOnWriteArrayList<>();
    try (SegmentedWal wal = openReal(config, reopenEvents::add)) {
      assertThat(wal.recoveryReport().cleanShutdown()).isFalse();
      List<WalRecord> records = readAll(wal, "check");
      assertContiguousFromZero(records);
      assertThat((long) records.size()).isGreaterThanOrEqualTo(durableEnd);
      acknowledged.forEach(
          (offset, body) ->
              assertThat(text(records.get(Math.toIntExact(offset)).body()))
                  .as("acknowledged record %d", offset)
                  .isEqualTo(body));
      // What survives beyond the durable end was forced by the failing batch before its failure
      // (a sealed segment's tail); those appends were reported failed, so the producer resends:
      // at-least-once, never lost.
      for (WalRecord record : records.subList(Math.toIntExact(durableEnd), records.size())) {
        assertThat(failedBodies).contains(text(record.body()));
      }
      assertThat(await(accepted(wal.append((byte) 1, bytes("after-reopen")))))
          .isEqualTo(records.size());
      assertThat(wal.metrics().failed()).isFalse();
    }
    assertThat(reopenEvents).noneMatch(WalEvent.Failed.class::isInstance);
  }

  /**
   * One producer, 1,000-byte bodies (1,025-byte frames) in 4 KiB segments, so the forces after open
   * are: record 0, 1, 2, the header of segment 3 during the roll, record 3, … The Nth one fails,
   * and either loses the bytes it did not flush or (as when the kernel still shows them) keeps
   * them; either way the failed record is not stored: the log cuts what it did not force.
   */
  @ParameterizedTest(name = "force #{0} fails, unflushed bytes lost: {1}")
  @CsvSource({
    "1, true,  0, 16,   0", // the first record's frame is gone
    "1, false, 0, 16,   0", // its frame is still readable, and the log cuts it
    "3, true,  2, 2066, 2",
    "4, true,  3, 0,    3", // the roll cannot force the next segment's header
    "4, false, 3, 16,   3",
    "5, true,  3, 16,   3", // the first frame of the new segment is not forced
    "5, false, 3, 16,   3"
  })
  void failedForceOfAFrameOrOfANewSegmentsHeader(
      int nth, boolean loseUnflushed, int acknowledged, long newestSizeOnDisk, int recovered)
      throws IOException, InterruptedException {
    WalConfig config = FaultFixtures.config(4096, 1000);
    List<byte[]> bodies = new ArrayList<>();
    try (SegmentedWal wal = openFaulty(config)) {
      long forcesBefore = faults.forces();
      faults.failForce(nth, loseUnflushed);
      Throwable failure = null;
      for (int i = 0; i < 10 && failure == null; i++) {
        byte[] body = body1000(i);
        CompletableFuture<Long> future = accepted(wal.append(RecordTypes.TELEMETRY, body));
        failure = failureOf(future);
        if (failure == null) {
          assertThat(future.join()).isEqualTo(i);
        }
        bodies.add(body);
      }
      assertThat(bodies).as("appends until the failure").hasSize(acknowledged + 1);
      assertThat(failure)
          .isInstanceOf(WalWriteFailedException.class)
          .rootCause()
          .hasMessageStartingWith("Input/output error");
      assertThat(faults.forces())
          .as("the failed force is not retried")
          .isEqualTo(forcesBefore + nth);
      assertThat(events).filteredOn(WalEvent.Failed.class::isInstance).hasSize(1);
      assertThat(wal.metrics().failed()).isTrue();
      assertThat(wal.durableEndOffset()).isEqualTo(acknowledged);
      long started = System.nanoTime();
      assertThat(wal.awaitDurable(acknowledged, FaultFixtures.PATIENCE)).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("a failed log wakes its waiters instead of letting them time out")
          .isLessThan(FaultFixtures.PATIENCE.dividedBy(2));
      assertThat(wal.append(RecordTypes.TELEMETRY, body1000(99)))
          .isInstanceOfSatisfying(
              AppendOutcome.Refused.class,
              r -> assertThat(r.reason()).isEqualTo(AppendOutcome.Reason.FAILED));
    }
    List<Path> segments = segmentFiles(dir);
    assertThat(Files.size(segments.get(segments.size() - 1))).isEqualTo(newestSizeOnDisk);

    try (SegmentedWal wal = openReal(config, WalListener.NONE)) {
      assertThat(wal.recoveryReport().bytesTruncated()).isZero();
      assertThat(wal.recoveryReport().endOffset()).isEqualTo(recovered);
      List<WalRecord> records = readAll(wal, "check");
      assertContiguousFromZero(records);
      assertThat(records.stream().map(WalRecord::body).toList())
          .usingElementComparator(Arrays::compare)
          .containsExactlyElementsOf(bodies.subList(0, recovered));
      assertThat(await(accepted(wal.append(RecordTypes.TELEMETRY, body1000(50)))))
          .isEqualTo(recovered);
    }
  }

  /**
   * One producer, 1,000-byte bodies (1,025-byte frames) in 4 KiB segments: three frames fill a
   * segment, so the quota can be placed at exact bytes of frames and of the next segment's header.
   * Bytes are counted from just after open (the first segment's 16-byte header is written).
   */
  @ParameterizedTest(name = "disk full after {0} bytes: {1} acknowledged, {2} torn bytes")
  @CsvSource({
    "0,    0, 0,    16", // at a frame boundary: no byte of the frame is written
    "1,    0, 1,    17", // one byte of a frame header
    "24,   0, 24,   40", // all but the last header byte
    "25,   0, 25,   41", // a whole frame header, no body byte
    "1024, 0, 1024, 1040", // all but the last body byte
    "1537, 1, 512,  1553", // the middle of the second frame
    "3075, 3, 0,    0", // the segment is full and the roll cannot write the next header
    "3082, 3, 7,    7", // the roll tears the next segment's header
    "3091, 3, 0,    16", // the next header is whole, no byte of its first frame
    "3191, 3, 100,  116" // the middle of the next segment's first frame
  })
  void diskFullFailsTheWriteAndRecoveryCutsThePartialFrame(
      long quota, int acknowledged, long torn, long newestSizeOnDisk) throws IOException {
    WalConfig config = FaultFixtures.config(4096, 1000);
    List<byte[]> bodies = new ArrayList<>();
    try (SegmentedWal wal = openFaulty(config)) {
      faults.diskFullAfter(quota);
      Throwable failure = null;
      for (int i = 0; i < 10 && failure == null; i++) {
        byte[] body = body1000(i);
        CompletableFuture<Long> future = accepted(wal.append(RecordTypes.TELEMETRY, body));
        failure = failureOf(future);
        if (failure == null) {
          assertThat(future.join()).isEqualTo(i);
          bodies.add(body);
        }
      }
      assertThat(bodies).as("appends acknowledged before the disk filled").hasSize(acknowledged);
      assertThat(failure)
          .isInstanceOf(WalWriteFailedException.class)
          .rootCause()
          .isInstanceOf(IOException.class)
          .hasMessage("No space left on device");
      assertThat(events).filteredOn(WalEvent.Failed.class::isInstance).hasSize(1);
      assertThat(wal.metrics().failed()).isTrue();
      assertThat(wal.durableEndOffset()).isEqualTo(acknowledged);
      assertThat(wal.append(RecordTypes.TELEMETRY, body1000(99)))
          .isInstanceOfSatisfying(
              AppendOutcome.Refused.class,
              r -> assertThat(r.reason()).isEqualTo(AppendOutcome.Reason.FAILED));
    }
    List<Path> segments = segmentFiles(dir);
    Path newest = segments.get(segments.size() - 1);
    assertThat(Files.size(newest))
        .as("the newest segment holds the torn bytes before recovery")
        .isEqualTo(newestSizeOnDisk);
    // Torn bytes that are zeros at the very end cannot be told from never-written space; the
    // report counts up to the last non-zero byte.
    byte[] tornBytes =
        Arrays.copyOfRange(
            Files.readAllBytes(newest), (int) (newestSizeOnDisk - torn), (int) newestSizeOnDisk);
    int reported = tornBytes.length;
    while (reported > 0 && tornBytes[reported - 1] == 0) {
      reported--;
    }

    try (SegmentedWal wal = openReal(config, WalListener.NONE)) {
      RecoveryReport report = wal.recoveryReport();
      assertThat(report.cleanShutdown()).isFalse();
      assertThat(report.endOffset()).isEqualTo(acknowledged);
      assertThat(report.bytesTruncated()).as(report.toString()).isEqualTo(reported);
      assertThat(report.truncations()).hasSize(reported > 0 ? 1 : 0);
      List<WalRecord> records = readAll(wal, "check");
      assertContiguousFromZero(records);
      assertThat(records.stream().map(WalRecord::body).toList())
          .usingElementComparator(Arrays::compare)
          .containsExactlyElementsOf(bodies);
      assertThat(await(accepted(wal.append(RecordTypes.TELEMETRY, body1000(acknowledged)))))
          .isEqualTo(acknowledged);
    }
    try (SegmentedWal wal = openReal(config, WalListener.NONE)) {
      assertThat(wal.recoveryReport().cleanShutdown()).isTrue();
      assertThat(wal.recoveryReport().bytesTruncated()).isZero();
      assertThat(readAll(wal, "check")).hasSize(acknowledged + 1);
    }
  }

  /** Appends, waiting for each future, until the log refuses; records how each append ended. */
  private static void produceUntilRefused(
      SegmentedWal wal,
      int producer,
      Map<Long, String> acknowledged,
      List<Throwable> failures,
      Set<String> failedBodies,
      List<AppendOutcome.Refused> refusals) {
    for (int i = 0; i < 10_000; i++) {
      String body = "p" + producer + "-" + i + "-" + padding();
      AppendOutcome outcome = wal.append((byte) 1, bytes(body));
      if (outcome instanceof AppendOutcome.Refused refused) {
        refusals.add(refused);
        return;
      }
      CompletableFuture<Long> future = accepted(outcome);
      Throwable failure = failureOf(future);
      if (failure == null) {
        acknowledged.put(future.join(), body);
      } else {
        failures.add(failure);
        failedBodies.add(body);
      }
    }
  }

  private static void assertContiguousFromZero(List<WalRecord> records) {
    for (int i = 0; i < records.size(); i++) {
      assertThat(records.get(i).offset()).isEqualTo(i);
    }
  }

  private static byte[] body1000(int i) {
    byte[] body = new byte[1000];
    Arrays.fill(body, (byte) ('a' + i % 26));
    body[0] = (byte) i;
    return body;
  }

  private static String padding() {
    return "x".repeat(ThreadLocalRandom.current().nextInt(900));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
