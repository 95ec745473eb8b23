package io.auditgate.wal;

import static io.auditgate.wal.WalFixtures.FRAME_BYTES;
import static io.auditgate.wal.WalFixtures.RECORDS_PER_SEGMENT;
import static io.auditgate.wal.WalFixtures.appendRecords;
import static io.auditgate.wal.WalFixtures.drain;
import static io.auditgate.wal.WalFixtures.flipByte;
import static io.auditgate.wal.WalFixtures.offsets;
import static io.auditgate.wal.WalFixtures.positionInSegment;
import static io.auditgate.wal.WalFixtures.smallSegments;
import static io.auditgate.wal.WalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.Segment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Damage in the middle of sealed segments: skipped, never served, counted, kept as evidence. */
class QuarantineTest {
  private static final int RECORDS = 3 * RECORDS_PER_SEGMENT + 4; // four segments

  @TempDir Path dir;

  private final RecordingListener listener = new RecordingListener();
  private SegmentedWal wal;
  private Path firstSegment;

  @BeforeEach
  void writeSeveralSegments() throws Exception {
    wal = SegmentedWal.open(dir, smallSegments(), Clock.systemUTC(), listener);
    appendRecords(wal, 0, RECORDS);
    wal.close();
    firstSegment = dir.resolve(Segment.fileName(0));
    assertThat(Files.size(firstSegment))
        .isEqualTo(Segment.HEADER_BYTES + (long) RECORDS_PER_SEGMENT * FRAME_BYTES);
  }

  @AfterEach
  void closeLog() {
    wal.close();
  }

  private void reopen() {
    wal.close();
    wal = SegmentedWal.open(dir, smallSegments(), Clock.systemUTC(), listener);
  }

  @Test
  void aFlippedBodyByteInASealedSegmentIsSkippedCountedReportedAndKept() throws Exception {
    long from = positionInSegment(10);
    long to = positionInSegment(11);
    flipByte(firstSegment, from + 25 + 50);
    byte[] damaged = Arrays.copyOfRange(Files.readAllBytes(firstSegment), (int) from, (int) to);
    reopen();
    assertThat(wal.recoveryReport().bytesTruncated()).as("sealed segments are not cut").isZero();
    WalCursor cursor = wal.cursor("kafka");

    List<WalRecord> got = drain(cursor);

    assertThat(offsets(got)).containsExactlyElementsOf(allBut(10));
    assertThat(got)
        .allSatisfy(r -> assertThat(text(r)).startsWith("record-%06d".formatted(r.offset())));
    assertThat(wal.metrics().quarantinedRecords()).isEqualTo(1);
    String file = Segment.fileName(0) + "-" + from + "-" + to + ".corrupt";
    assertThat(listener.eventsOf(WalEvent.Quarantined.class))
        .containsExactly(new WalEvent.Quarantined(Segment.fileName(0), from, to, 10, 11, file));
    assertThat(Files.readAllBytes(dir.resolve("quarantine").resolve(file))).isEqualTo(damaged);
    assertThat(wal.state("kafka", 10)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 9)).contains(MessageState.IN_FLIGHT);
    assertThat(wal.state("kafka", 11)).contains(MessageState.IN_FLIGHT);
    assertThat(firstSegment).as("the segment itself is left as it was").exists();

    reopen();
    assertThat(wal.state("kafka", 10)).as("remembered in losses.log").contains(MessageState.DEAD);
  }

  @Test
  void anotherCursorAlsoSkipsTheDamageButItIsReportedOnce() throws Exception {
    flipByte(firstSegment, positionInSegment(5) + 30);
    reopen();
    WalCursor kafka = wal.cursor("kafka");
    WalCursor s3 = wal.cursor("s3");

    assertThat(offsets(drain(kafka))).containsExactlyElementsOf(allBut(5));
    assertThat(wal.state("s3", 5)).as("not read yet").contains(MessageState.ENQUEUED);
    assertThat(offsets(drain(s3))).containsExactlyElementsOf(allBut(5));

    assertThat(wal.state("s3", 5)).contains(MessageState.DEAD);
    assertThat(listener.eventsOf(WalEvent.Quarantined.class)).hasSize(1);
    assertThat(WalFixtures.filesIn(dir.resolve("quarantine"))).hasSize(1);
    assertThat(wal.losses()).extracting(LossRange::cursor).containsExactly("kafka", "s3");
  }

  @ParameterizedTest(name = "length field set to {0}")
  @ValueSource(ints = {60, 101, 3000, 100_000, Integer.MAX_VALUE, -1, 0})
  void aCorruptLengthFieldIsSkippedByScanningForTheNextFrame(int length) throws Exception {
    long at = positionInSegment(10);
    WalFixtures.writeBytes(firstSegment, at, ByteBuffer.allocate(4).putInt(length).array());
    reopen();
    WalCursor cursor = wal.cursor("kafka");

    List<WalRecord> got = drain(cursor);

    assertThat(offsets(got)).containsExactlyElementsOf(allBut(10));
    assertThat(text(got.get(10))).startsWith("record-000011");
    assertThat(wal.metrics().quarantinedRecords()).isEqualTo(1);
    assertThat(listener.eventsOf(WalEvent.Quarantined.class))
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.fromByte()).isEqualTo(at);
              assertThat(q.toByte()).isEqualTo(positionInSegment(11));
            });
    assertThat(wal.state("kafka", 10)).contains(MessageState.DEAD);
  }

  @Test
  void damageToTheLastRecordOfASealedSegmentEndsAtTheSegmentsEnd() throws Exception {
    long last = RECORDS_PER_SEGMENT - 1;
    flipByte(firstSegment, positionInSegment(last) + 40);
    reopen();

    List<WalRecord> got = drain(wal.cursor("kafka"));

    assertThat(offsets(got)).containsExactlyElementsOf(allBut(last));
    WalEvent.Quarantined q = listener.eventsOf(WalEvent.Quarantined.class).get(0);
    assertThat(q.firstOffset()).isEqualTo(last);
    assertThat(q.endOffset()).isEqualTo(RECORDS_PER_SEGMENT);
    assertThat(q.toByte()).isEqualTo(Files.size(firstSegment));
  }

  @Test
  void adjacentDamagedRecordsAreOneRange() throws Exception {
    flipByte(firstSegment, positionInSegment(20) + 30);
    flipByte(firstSegment, positionInSegment(21) + 30);
    reopen();

    List<WalRecord> got = drain(wal.cursor("kafka"));

    assertThat(offsets(got)).doesNotContain(20L, 21L).hasSize(RECORDS - 2);
    assertThat(wal.metrics().quarantinedRecords()).isEqualTo(2);
    assertThat(listener.eventsOf(WalEvent.Quarantined.class))
        .singleElement()
        .satisfies(q -> assertThat(q.endOffset() - q.firstOffset()).isEqualTo(2));
  }

  @Test
  void damageInALaterSealedSegmentIsSkippedToo() throws Exception {
    long offset = RECORDS_PER_SEGMENT + 7;
    flipByte(dir.resolve(Segment.fileName(RECORDS_PER_SEGMENT)), positionInSegment(offset) + 60);
    reopen();

    assertThat(offsets(drain(wal.cursor("kafka")))).containsExactlyElementsOf(allBut(offset));
    assertThat(wal.state("kafka", offset)).contains(MessageState.DEAD);
  }

  @Test
  void aSealedSegmentThatLostItsTailQuarantinesTheMissingRecords() throws Exception {
    long cutAt = positionInSegment(25) + 40; // inside record 25; records 25..31 are gone
    WalFixtures.truncate(firstSegment, cutAt);
    reopen();

    List<WalRecord> got = drain(wal.cursor("kafka"));

    assertThat(offsets(got))
        .containsExactlyElementsOf(
            LongStream.range(0, RECORDS).filter(o -> o < 25 || o >= 32).boxed().toList());
    assertThat(wal.metrics().quarantinedRecords()).isEqualTo(RECORDS_PER_SEGMENT - 25);
    assertThat(wal.state("kafka", 25)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 31)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 32)).contains(MessageState.IN_FLIGHT);
  }

  @Test
  void rewindingPastAcknowledgedDamageDoesNotRedeliverAcknowledgedRecords() throws Exception {
    flipByte(firstSegment, positionInSegment(10) + 50);
    reopen();
    WalCursor cursor = wal.cursor("kafka");
    drain(cursor);
    cursor.ack(20); // past the damage, inside the first segment, so the segment stays

    cursor.rewind();

    assertThat(cursor.readOffset()).isEqualTo(20);
    List<WalRecord> again = cursor.poll(1, Long.MAX_VALUE);
    assertThat(offsets(again)).containsExactly(20L);
    assertThat(cursor.readOffset()).isGreaterThanOrEqualTo(cursor.ackedOffset());
    assertThat(offsets(drain(cursor))).containsExactlyElementsOf(range(21, RECORDS));
    assertThat(wal.metrics().quarantinedRecords()).as("not counted twice").isEqualTo(1);
    assertThat(wal.losses()).hasSize(1);
  }

  @Test
  void reopeningPastAcknowledgedDamageResumesAtTheAcknowledgedOffset() throws Exception {
    flipByte(firstSegment, positionInSegment(10) + 50);
    reopen();
    WalCursor cursor = wal.cursor("kafka");
    drain(cursor);
    cursor.ack(20);

    reopen();
    WalCursor again = wal.cursor("kafka");

    assertThat(offsets(drain(again))).containsExactlyElementsOf(range(20, RECORDS));
    assertThat(again.ackedOffset()).isEqualTo(20);
    assertThat(wal.metrics().quarantinedRecords()).isZero();
    assertThat(wal.losses()).hasSize(1);
    assertThat(wal.state("kafka", 10)).contains(MessageState.DEAD);
  }

  @Test
  void resumingJustAtTheDamagedRecordStillSkipsAndReportsIt() throws Exception {
    flipByte(firstSegment, positionInSegment(10) + 50);
    reopen();
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(10, Long.MAX_VALUE);
    cursor.ack(10); // the next record to deliver is the damaged one

    reopen();
    WalCursor again = wal.cursor("kafka");

    assertThat(offsets(drain(again))).containsExactlyElementsOf(range(11, RECORDS));
    assertThat(wal.state("kafka", 10)).contains(MessageState.DEAD);
    assertThat(wal.metrics().quarantinedRecords()).isEqualTo(1);
  }

  @Test
  void resumingInsideADamagedRangeSkipsOnlyWhatTheCursorHadNotPassed() throws Exception {
    flipByte(firstSegment, positionInSegment(10) + 50);
    flipByte(firstSegment, positionInSegment(11) + 50);
    reopen();
    WalCursor cursor = wal.cursor("kafka");
    assertThat(offsets(cursor.poll(11, Long.MAX_VALUE))).endsWith(9L, 12L);
    cursor.ack(11); // allowed: the cursor has passed 11, even though it never received it

    reopen();
    WalCursor again = wal.cursor("kafka");

    assertThat(offsets(drain(again))).containsExactlyElementsOf(range(12, RECORDS));
    assertThat(wal.metrics().quarantinedRecords()).isEqualTo(1);
    assertThat(wal.state("kafka", 10)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 11)).contains(MessageState.DEAD);
    assertThat(listener.eventsOf(WalEvent.Quarantined.class)).hasSize(1);
  }

  private static List<Long> allBut(long skipped) {
    return LongStream.range(0, RECORDS).filter(o -> o != skipped).boxed().toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
