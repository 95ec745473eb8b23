package io.auditgate.wal;

import static io.auditgate.wal.WalFixtures.BODY_BYTES;
import static io.auditgate.wal.WalFixtures.RECORDS_PER_SEGMENT;
import static io.auditgate.wal.WalFixtures.TYPE;
import static io.auditgate.wal.WalFixtures.appendDurably;
import static io.auditgate.wal.WalFixtures.appendRecords;
import static io.auditgate.wal.WalFixtures.await;
import static io.auditgate.wal.WalFixtures.body;
import static io.auditgate.wal.WalFixtures.drain;
import static io.auditgate.wal.WalFixtures.offsets;
import static io.auditgate.wal.WalFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.config.WalConfig.OverflowPolicy;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.AppendOutcome.Reason;
import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.Segment;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetentionTest {
  private static final DataSize SEGMENT = DataSize.ofKibibytes(4);
  private static final DataSize MAX_RECORD = DataSize.ofBytes(512);
  private static final Duration WAIT = Duration.ofSeconds(5);

  @TempDir Path dir;

  private SegmentedWal wal;

  @AfterEach
  void closeLog() {
    if (wal != null) {
      wal.close();
    }
  }

  private static WalConfig config(DataSize maxTotal, Duration maxAge, OverflowPolicy policy) {
    return new WalConfig(SEGMENT, MAX_RECORD, null, null, maxTotal, maxAge, policy);
  }

  private SegmentedWal open(WalConfig config, Clock clock, WalListener listener) {
    wal = SegmentedWal.open(dir, config, clock, listener);
    return wal;
  }

  private SegmentedWal openLarge() {
    return open(config(DataSize.ofMebibytes(1), null, null), Clock.systemUTC(), WalListener.NONE);
  }

  // ------------------------------------------------------------------ deleting acknowledged data

  @Test
  void segmentsAreDeletedOnlyOnceEveryCursorHasAcknowledgedPastThem() throws Exception {
    openLarge();
    WalCursor fast = wal.cursor("fast");
    WalCursor slow = wal.cursor("slow");
    appendRecords(wal, 0, 4 * RECORDS_PER_SEGMENT + 5); // five segments
    List<Path> before = segmentFiles(dir);
    assertThat(before).hasSize(5);

    fast.ack(drain(fast).size());
    assertThat(segmentFiles(dir)).as("slow has acknowledged nothing").isEqualTo(before);
    assertThat(wal.startOffset()).isZero();

    slow.poll(RECORDS_PER_SEGMENT + 3, Long.MAX_VALUE);
    slow.ack(RECORDS_PER_SEGMENT); // exactly the end of the first segment
    assertThat(segmentFiles(dir)).isEqualTo(before.subList(1, 5));
    assertThat(wal.startOffset()).isEqualTo(RECORDS_PER_SEGMENT);
    assertThat(wal.metrics().segments()).isEqualTo(4);

    slow.ack(RECORDS_PER_SEGMENT + 3); // inside the second segment: it must stay
    assertThat(segmentFiles(dir)).isEqualTo(before.subList(1, 5));

    assertThat(offsets(drain(slow)))
        .containsExactlyElementsOf(range(RECORDS_PER_SEGMENT + 3, 4 * RECORDS_PER_SEGMENT + 5));
  }

  @Test
  void theActiveSegmentIsNeverDeletedEvenWhenEverythingIsAcknowledged() throws Exception {
    openLarge();
    WalCursor cursor = wal.cursor("kafka");
    appendRecords(wal, 0, 3 * RECORDS_PER_SEGMENT + 1);

    cursor.ack(drain(cursor).size());

    List<Path> left = segmentFiles(dir);
    assertThat(left).hasSize(1);
    assertThat(Segment.parseBase(left.get(0))).contains((long) 3 * RECORDS_PER_SEGMENT);
    assertThat(wal.startOffset()).isEqualTo(3 * RECORDS_PER_SEGMENT);
    assertThat(wal.durableEndOffset()).isEqualTo(3 * RECORDS_PER_SEGMENT + 1);
    assertThat(wal.state("kafka", 3 * RECORDS_PER_SEGMENT)).contains(MessageState.ACKED);
    assertThat(wal.state("kafka", 0)).contains(MessageState.ACKED);

    long next = appendDurably(wal, body(999));
    assertThat(next).isEqualTo(3 * RECORDS_PER_SEGMENT + 1);
    assertThat(offsets(cursor.poll(10, Long.MAX_VALUE))).containsExactly(next);
  }

  @Test
  void withoutCursorsNothingIsEverDeleted() throws Exception {
    openLarge();
    appendRecords(wal, 0, 4 * RECORDS_PER_SEGMENT);
    List<Path> before = segmentFiles(dir);
    wal.close();

    openLarge();
    assertThat(segmentFiles(dir)).isEqualTo(before);
    assertThat(wal.startOffset()).isZero();

    WalCursor late = wal.cursor("late");
    assertThat(late.ackedOffset()).as("a sink added later gets everything").isZero();
    assertThat(drain(late)).hasSize(4 * RECORDS_PER_SEGMENT);
  }

  // ------------------------------------------------------------------ REFUSE

  @Test
  void refusePolicyRefusesWhenFullAndAcceptsAgainOnceAcknowledgedSegmentsAreDeleted() {
    DataSize maxTotal = DataSize.ofKibibytes(8);
    open(config(maxTotal, null, OverflowPolicy.REFUSE), Clock.systemUTC(), WalListener.NONE);
    WalCursor cursor = wal.cursor("kafka");

    int accepted = 0;
    AppendOutcome outcome;
    while ((outcome = wal.append(TYPE, body(accepted))) instanceof AppendOutcome.Accepted a) {
      assertThat(WalFixtures.join(a.durable())).isEqualTo(accepted);
      accepted++;
      assertThat(accepted).as("must refuse before holding far more than 8KiB").isLessThan(200);
    }

    assertThat(outcome).isInstanceOf(AppendOutcome.Refused.class);
    assertThat(((AppendOutcome.Refused) outcome).reason()).isEqualTo(Reason.FULL);
    assertThat(((AppendOutcome.Refused) outcome).message()).contains("max_total_size");
    assertThat(wal.metrics().retainedBytes() + BODY_BYTES).isGreaterThan(maxTotal.bytes());
    assertThat(accepted).isGreaterThanOrEqualTo(2 * RECORDS_PER_SEGMENT - 1);
    assertThat(wal.append(TYPE, body(accepted))).isInstanceOf(AppendOutcome.Refused.class);
    assertThat(wal.metrics().refusedAppends()).isEqualTo(2);
    assertThat(wal.durableEndOffset()).isEqualTo(accepted);

    cursor.ack(drain(cursor).size());

    assertThat(wal.metrics().segments()).isEqualTo(1);
    assertThat(appendDurably(wal, body(accepted))).isEqualTo(accepted);
  }

  @Test
  void refusePolicyWithoutCursorsStaysFullUntilASinkAcknowledges() {
    open(config(DataSize.ofKibibytes(8), null, null), Clock.systemUTC(), WalListener.NONE);
    int accepted = 0;
    while (wal.append(TYPE, body(accepted)) instanceof AppendOutcome.Accepted a) {
      WalFixtures.join(a.durable());
      accepted++;
    }
    int segmentsWhenFull = wal.metrics().segments();

    assertThat(wal.append(TYPE, body(0))).isInstanceOf(AppendOutcome.Refused.class);
    assertThat(wal.metrics().segments()).isEqualTo(segmentsWhenFull);
    assertThat(wal.startOffset()).isZero();

    WalCursor cursor = wal.cursor("kafka");
    cursor.ack(drain(cursor).size());

    assertThat(wal.append(TYPE, body(0))).isInstanceOf(AppendOutcome.Accepted.class);
  }

  @Test
  void aRecordAboveTheMaximumSizeIsRefusedAsTooLarge() {
    openLarge();

    AppendOutcome tooLarge = wal.append(TYPE, new byte[(int) MAX_RECORD.bytes() + 1]);
    AppendOutcome justFits = wal.append(TYPE, new byte[(int) MAX_RECORD.bytes()]);

    assertThat(tooLarge).isInstanceOf(AppendOutcome.Refused.class);
    assertThat(((AppendOutcome.Refused) tooLarge).reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(((AppendOutcome.Refused) tooLarge).message()).contains("max_record_size");
    assertThat(justFits).isInstanceOf(AppendOutcome.Accepted.class);
    assertThat(WalFixtures.join(((AppendOutcome.Accepted) justFits).durable())).isZero();
    assertThat(wal.metrics().refusedAppends()).isEqualTo(1);
  }

  @Test
  void refusePolicyRefusesAsTooOldWhenTheOldestUnacknowledgedSegmentIsOlderThanMaxAge() {
    MutableClock clock = MutableClock.atFixedStart();
    Duration maxAge = Duration.ofMinutes(1);
    open(config(DataSize.ofMebibytes(1), maxAge, OverflowPolicy.REFUSE), clock, WalListener.NONE);
    WalCursor cursor = wal.cursor("kafka");
    appendRecords(wal, 0, 3);

    clock.advance(maxAge);
    assertThat(appendDurably(wal, body(3))).as("exactly max_age old is allowed").isEqualTo(3);

    clock.advance(maxAge.plusMillis(1));
    AppendOutcome refused = wal.append(TYPE, body(4));
    assertThat(refused).isInstanceOf(AppendOutcome.Refused.class);
    assertThat(((AppendOutcome.Refused) refused).reason()).isEqualTo(Reason.TOO_OLD);
    assertThat(((AppendOutcome.Refused) refused).message()).contains("max_age");

    cursor.poll(4, Long.MAX_VALUE);
    cursor.ack(4);

    assertThat(appendDurably(wal, body(4))).isEqualTo(4);
  }

  // ------------------------------------------------------------------ DROP_OLDEST

  @Test
  void dropOldestDropsSealedSegmentsCountsReportsAndRemembersTheLoss() throws Exception {
    DataSize maxTotal = DataSize.ofKibibytes(8);
    MutableClock clock = MutableClock.atFixedStart();
    RecordingListener listener = new RecordingListener();
    WalConfig config = config(maxTotal, null, OverflowPolicy.DROP_OLDEST);
    open(config, clock, listener);
    WalCursor sink = wal.cursor("sink");
    int total = 4 * RECORDS_PER_SEGMENT + 10; // about 18KiB: more than twice the bound
    appendRecords(wal, 0, total); // the clock stands still: housekeeping has not run since
    assertThat(wal.metrics().droppedRecords()).isZero();

    clock.advance(Duration.ofSeconds(1)); // the writer's next idle poll runs housekeeping
    await("segments dropped", WAIT, () -> wal.metrics().droppedRecords() > 0);
    await("back under max_total_size", WAIT, () -> wal.metrics().retainedBytes() <= 8192);

    long start = wal.startOffset();
    assertThat(start).isPositive().isEqualTo(wal.metrics().startOffset());
    assertThat(start % RECORDS_PER_SEGMENT).as("whole segments only").isZero();
    assertThat(wal.metrics().droppedRecords()).isEqualTo(start);
    List<WalEvent.Dropped> dropped = listener.eventsOf(WalEvent.Dropped.class);
    assertThat(dropped).isNotEmpty();
    assertThat(dropped.get(0).firstOffset()).isZero();
    assertThat(dropped.get(dropped.size() - 1).endOffset()).isEqualTo(start);
    assertThat(dropped.stream().mapToLong(WalEvent.Dropped::records).sum()).isEqualTo(start);
    assertThat(dropped.get(0).why()).contains("max_total_size");
    long lastDroppedBytes = dropped.get(dropped.size() - 1).bytes();
    assertThat(wal.metrics().retainedBytes() + lastDroppedBytes)
        .as("drops no more than needed")
        .isGreaterThan(maxTotal.bytes());
    assertThat(segmentFiles(dir)).hasSize(wal.metrics().segments());

    assertThat(wal.state("sink", 0)).contains(MessageState.DROPPED);
    assertThat(wal.state("sink", start - 1)).contains(MessageState.DROPPED);
    assertThat(wal.state("sink", start)).contains(MessageState.ENQUEUED);
    assertThat(wal.losses())
        .allSatisfy(loss -> assertThat(loss.kind()).isEqualTo(LossRange.Kind.DROPPED))
        .allSatisfy(loss -> assertThat(loss.cursor()).isEqualTo("sink"));
    assertThat(wal.losses().stream().mapToLong(LossRange::records).sum()).isEqualTo(start);

    List<WalRecord> rest = drain(sink);
    assertThat(offsets(rest)).containsExactlyElementsOf(range(start, total));
    assertThat(WalFixtures.text(rest.get(0))).startsWith("record-%06d".formatted(start));
    sink.ack(start + 1);
    assertThat(wal.state("sink", start)).contains(MessageState.ACKED);

    wal.close();
    open(config, clock, WalListener.NONE);
    assertThat(wal.state("sink", 0)).contains(MessageState.DROPPED);
    assertThat(wal.state("sink", start - 1)).contains(MessageState.DROPPED);
    assertThat(wal.state("sink", start)).contains(MessageState.ACKED);
    WalCursor again = wal.cursor("sink");
    assertThat(again.ackedOffset()).isEqualTo(start + 1);
    assertThat(offsets(drain(again))).containsExactlyElementsOf(range(start + 1, total));
  }

  @Test
  void dropOldestOnlyMarksWhatACursorHadNotAcknowledged() {
    MutableClock clock = MutableClock.atFixedStart();
    WalConfig config = config(DataSize.ofKibibytes(8), null, OverflowPolicy.DROP_OLDEST);
    open(config, clock, WalListener.NONE);
    WalCursor cursor = wal.cursor("sink");
    appendRecords(wal, 0, 4 * RECORDS_PER_SEGMENT + 10);
    cursor.poll(15, Long.MAX_VALUE);
    cursor.ack(10);

    clock.advance(Duration.ofSeconds(1));
    await("segments dropped", WAIT, () -> wal.startOffset() > 0);
    // Housekeeping drops one segment at a time until the log fits; wait for the last drop.
    await("back under max_total_size", WAIT, () -> wal.metrics().retainedBytes() <= 8192);

    long start = wal.startOffset();
    assertThat(wal.state("sink", 9)).contains(MessageState.ACKED);
    assertThat(wal.state("sink", 10)).contains(MessageState.DROPPED);
    assertThat(wal.state("sink", start)).contains(MessageState.ENQUEUED);
    assertThat(wal.metrics().droppedRecords()).isEqualTo(start - 10);
    assertThat(cursor.poll(1, Long.MAX_VALUE).get(0).offset()).isEqualTo(start);
  }

  @Test
  void dropOldestDropsSegmentsOlderThanMaxAgeButNeverTheActiveOne() throws Exception {
    MutableClock clock = MutableClock.atFixedStart();
    RecordingListener listener = new RecordingListener();
    Duration maxAge = Duration.ofMinutes(1);
    open(config(DataSize.ofMebibytes(1), maxAge, OverflowPolicy.DROP_OLDEST), clock, listener);
    wal.cursor("sink");
    appendRecords(wal, 0, 3 * RECORDS_PER_SEGMENT + 1);

    clock.advance(maxAge.plusSeconds(1));
    await("old segments dropped", WAIT, () -> wal.metrics().segments() == 1);

    assertThat(wal.startOffset()).isEqualTo(3 * RECORDS_PER_SEGMENT);
    assertThat(segmentFiles(dir)).hasSize(1);
    assertThat(listener.eventsOf(WalEvent.Dropped.class))
        .hasSize(3)
        .allSatisfy(e -> assertThat(e.why()).contains("max_age"));
    assertThat(wal.append(TYPE, body(0)))
        .as("drop-oldest never refuses for age")
        .isInstanceOf(AppendOutcome.Accepted.class);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
