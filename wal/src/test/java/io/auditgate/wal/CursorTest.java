package io.auditgate.wal;

import static io.auditgate.wal.WalFixtures.appendRecords;
import static io.auditgate.wal.WalFixtures.drain;
import static io.auditgate.wal.WalFixtures.offsets;
import static io.auditgate.wal.WalFixtures.smallSegments;
import static io.auditgate.wal.WalFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.CursorFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {
  @TempDir Path dir;

  private SegmentedWal wal;

  @AfterEach
  void closeLog() {
    if (wal != null) {
      wal.close();
    }
  }

  private SegmentedWal open() {
    wal = SegmentedWal.open(dir, smallSegments(), Clock.systemUTC(), WalListener.NONE);
    return wal;
  }

  private SegmentedWal reopen() {
    wal.close();
    return open();
  }

  @Test
  void newCursorStartsAtTheOldestRecordAndReadsInOrder() {
    open();
    appendRecords(wal, 0, 10);

    WalCursor cursor = wal.cursor("kafka");

    assertThat(cursor.name()).isEqualTo("kafka");
    assertThat(cursor.ackedOffset()).isZero();
    assertThat(cursor.readOffset()).isZero();
    assertThat(cursor.backlogRecords()).isEqualTo(10);
    List<WalRecord> got = cursor.poll(4, Long.MAX_VALUE);
    assertThat(offsets(got)).containsExactly(0L, 1L, 2L, 3L);
    assertThat(text(got.get(3))).startsWith("record-000003");
    assertThat(cursor.readOffset()).isEqualTo(4);
    assertThat(cursor.ackedOffset()).isZero();
    assertThat(offsets(drain(cursor))).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
    assertThat(cursor.poll(10, Long.MAX_VALUE)).isEmpty();
  }

  @Test
  void pollStopsAfterTheRecordThatReachesMaxBytesButReturnsAtLeastOne() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");

    assertThat(cursor.poll(10, 1)).hasSize(1);
    assertThat(cursor.poll(10, 250)).hasSize(3); // 100 + 100 < 250, the third reaches it
    assertThat(cursor.poll(2, Long.MAX_VALUE)).hasSize(2);
    assertThat(cursor.readOffset()).isEqualTo(6);
  }

  @Test
  void openingTheSameNameTwiceReturnsTheSameCursor() {
    open();

    assertThat(wal.cursor("kafka")).isSameAs(wal.cursor("kafka"));
    assertThat(wal.cursorNames()).containsExactly("kafka");
  }

  @Test
  void ackBeyondTheReadOffsetIsRejected() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(3, Long.MAX_VALUE);

    assertThatThrownBy(() -> cursor.ack(4)).isInstanceOf(IllegalArgumentException.class);
    assertThat(cursor.ackedOffset()).isZero();
    cursor.ack(3);
    assertThat(cursor.ackedOffset()).isEqualTo(3);
  }

  @Test
  void ackBehindTheAckedOffsetIsRejected() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(5, Long.MAX_VALUE);
    cursor.ack(4);

    assertThatThrownBy(() -> cursor.ack(3)).isInstanceOf(IllegalArgumentException.class);
    assertThat(cursor.ackedOffset()).isEqualTo(4);
    cursor.ack(4); // acknowledging the same position again is harmless
    assertThat(cursor.ackedOffset()).isEqualTo(4);
  }

  @Test
  void ackPersistsAcrossReopenAndUnackedRecordsAreDeliveredAgain() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(8, Long.MAX_VALUE);
    cursor.ack(5);

    reopen();
    WalCursor again = wal.cursor("kafka");

    assertThat(wal.cursorNames()).containsExactly("kafka");
    assertThat(again.ackedOffset()).isEqualTo(5);
    assertThat(again.readOffset()).isEqualTo(5);
    assertThat(again.backlogRecords()).isEqualTo(5);
    assertThat(offsets(drain(again))).containsExactly(5L, 6L, 7L, 8L, 9L);
  }

  @Test
  void rewindRedeliversEverythingNotAcknowledged() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");
    List<WalRecord> first = cursor.poll(7, Long.MAX_VALUE);
    cursor.ack(3);

    cursor.rewind();

    assertThat(cursor.readOffset()).isEqualTo(3);
    List<WalRecord> again = cursor.poll(4, Long.MAX_VALUE);
    assertThat(again).containsExactlyElementsOf(first.subList(3, 7));
    assertThat(offsets(drain(cursor))).containsExactly(7L, 8L, 9L);
  }

  @Test
  void rewindAcrossSegmentsRedeliversFromTheAckedSegment() {
    open();
    appendRecords(wal, 0, 100); // four segments
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(10, Long.MAX_VALUE);
    cursor.ack(10);
    assertThat(drain(cursor)).hasSize(90);

    cursor.rewind();

    assertThat(offsets(drain(cursor))).containsExactlyElementsOf(range(10, 100));
  }

  @Test
  void aCursorThatReadToTheEndOfASegmentThenDeletedByAcknowledgementLosesNothing() {
    // Found by bench pipeline: the cursor stopped exactly at a sealed segment's end, acknowledged
    // it, the segment was deleted, and the next poll read past the end of its stale segment as
    // damage and skipped every record after it.
    open();
    appendRecords(wal, 0, WalFixtures.RECORDS_PER_SEGMENT + 1); // the first segment is sealed
    WalCursor cursor = wal.cursor("kafka");
    List<WalRecord> first = cursor.poll(WalFixtures.RECORDS_PER_SEGMENT, Long.MAX_VALUE);
    assertThat(first).hasSize(WalFixtures.RECORDS_PER_SEGMENT);
    cursor.ack(WalFixtures.RECORDS_PER_SEGMENT);
    appendRecords(wal, WalFixtures.RECORDS_PER_SEGMENT + 1, 5);

    assertThat(offsets(drain(cursor)))
        .containsExactlyElementsOf(
            range(WalFixtures.RECORDS_PER_SEGMENT, WalFixtures.RECORDS_PER_SEGMENT + 6));
    assertThat(wal.losses()).as("nothing recorded as lost").isEmpty();
  }

  @Test
  void twoCursorsAreIndependent() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor kafka = wal.cursor("kafka");
    WalCursor s3 = wal.cursor("s3");

    kafka.poll(6, Long.MAX_VALUE);
    kafka.ack(6);
    s3.poll(2, Long.MAX_VALUE);

    assertThat(kafka.ackedOffset()).isEqualTo(6);
    assertThat(s3.ackedOffset()).isZero();
    assertThat(s3.readOffset()).isEqualTo(2);
    assertThat(offsets(s3.poll(10, Long.MAX_VALUE))).containsExactlyElementsOf(range(2, 10));
    assertThat(offsets(kafka.poll(10, Long.MAX_VALUE))).containsExactly(6L, 7L, 8L, 9L);
    s3.ack(1);

    reopen();
    assertThat(wal.cursorNames()).containsExactly("kafka", "s3");
    assertThat(wal.cursor("kafka").ackedOffset()).isEqualTo(6);
    assertThat(wal.cursor("s3").ackedOffset()).isEqualTo(1);
  }

  @Test
  void stateIsPerCursor() {
    open();
    appendRecords(wal, 0, 10);
    WalCursor kafka = wal.cursor("kafka");
    WalCursor s3 = wal.cursor("s3");
    kafka.poll(6, Long.MAX_VALUE);
    kafka.ack(3);
    s3.poll(1, Long.MAX_VALUE);

    assertThat(wal.state("kafka", 0)).contains(MessageState.ACKED);
    assertThat(wal.state("kafka", 2)).contains(MessageState.ACKED);
    assertThat(wal.state("kafka", 3)).contains(MessageState.IN_FLIGHT);
    assertThat(wal.state("kafka", 5)).contains(MessageState.IN_FLIGHT);
    assertThat(wal.state("kafka", 6)).contains(MessageState.ENQUEUED);
    assertThat(wal.state("kafka", 9)).contains(MessageState.ENQUEUED);
    assertThat(wal.state("s3", 0)).contains(MessageState.IN_FLIGHT);
    assertThat(wal.state("s3", 1)).contains(MessageState.ENQUEUED);

    kafka.rewind();
    assertThat(wal.state("kafka", 3)).contains(MessageState.ENQUEUED);
    assertThat(wal.state("kafka", 2)).contains(MessageState.ACKED);
  }

  @Test
  void stateIsEmptyForAnUnknownCursorOrAnOffsetNeverWritten() {
    open();
    appendRecords(wal, 0, 10);
    wal.cursor("kafka");

    assertThat(wal.state("nobody", 0)).isEmpty();
    assertThat(wal.state("kafka", 10)).isEmpty();
    assertThat(wal.state("kafka", Long.MAX_VALUE)).isEmpty();
    assertThat(wal.state("kafka", -1)).isEmpty();
    assertThat(wal.state("kafka", 9)).contains(MessageState.ENQUEUED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Kafka",
        "1kafka",
        "_kafka",
        "-kafka",
        "kafka sink",
        "kafka.sink",
        "../kafka",
        "kafka/x",
        "käfka",
        "a12345678901234567890123456789012345678901234567890123456789012345"
      })
  void invalidCursorNamesAreRejected(String name) {
    open();

    assertThatThrownBy(() -> wal.cursor(name)).isInstanceOf(IllegalArgumentException.class);
    assertThat(wal.cursorNames()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "kafka",
        "s3_archive-2",
        "a1234567890123456789012345678901234567890123456789012345678901a"
      })
  void validCursorNamesAreAccepted(String name) {
    open();

    assertThat(wal.cursor(name).name()).isEqualTo(name);
    assertThat(Files.exists(dir.resolve("cursors").resolve(name + ".cursor"))).isTrue();
  }

  @Test
  void aGarbledCursorFileRestartsTheCursorAtTheStartAndDeliversAgain() throws Exception {
    open();
    appendRecords(wal, 0, 100); // four segments
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(70, Long.MAX_VALUE);
    cursor.ack(70); // deletes the first two segments
    long start = wal.startOffset();
    assertThat(start).isGreaterThan(0).isLessThanOrEqualTo(70);
    wal.close();

    Path file = dir.resolve("cursors").resolve("kafka.cursor");
    byte[] bytes = Files.readAllBytes(file);
    bytes[10] ^= 0x40; // the stored offset, so the crc no longer matches
    Files.write(file, bytes);

    open();
    WalCursor again = wal.cursor("kafka");

    assertThat(again.ackedOffset()).isEqualTo(start);
    assertThat(offsets(drain(again))).containsExactlyElementsOf(range(start, 100));
    assertThat(CursorFile.load(file)).as("the file was repaired").contains(start);
  }

  @Test
  void aTruncatedCursorFileRestartsTheCursorAtTheStart() throws Exception {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(5, Long.MAX_VALUE);
    cursor.ack(5);
    wal.close();

    Path file = dir.resolve("cursors").resolve("kafka.cursor");
    Files.write(file, new byte[] {0x41, 0x47});

    open();

    assertThat(wal.cursor("kafka").ackedOffset()).isZero();
    assertThat(wal.state("kafka", 0)).contains(MessageState.ENQUEUED);
  }

  @Test
  void aCursorFilePointingBeyondTheLogEndRestartsTheCursorRatherThanSkipping() throws Exception {
    open();
    appendRecords(wal, 0, 10);
    wal.cursor("kafka");
    wal.close();

    CursorFile.store(dir.resolve("cursors"), "kafka", 1_000, ChannelOpener.DEFAULT);

    open();
    WalCursor cursor = wal.cursor("kafka");

    assertThat(cursor.ackedOffset()).isZero();
    assertThat(drain(cursor)).hasSize(10);
  }

  @Test
  void aCursorFileLeftFromACrashedStoreIsIgnored() throws Exception {
    open();
    appendRecords(wal, 0, 10);
    WalCursor cursor = wal.cursor("kafka");
    cursor.poll(4, Long.MAX_VALUE);
    cursor.ack(4);
    wal.close();
    // A crash between writing the temporary file and renaming it: the old position stands.
    Files.write(dir.resolve("cursors").resolve("kafka.cursor.tmp"), new byte[] {1, 2, 3});

    open();

    assertThat(wal.cursorNames()).containsExactly("kafka");
    assertThat(wal.cursor("kafka").ackedOffset()).isEqualTo(4);
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
