package io.auditgate.wal;

import static io.auditgate.wal.WalFixtures.FRAME_BYTES;
import static io.auditgate.wal.WalFixtures.RECORDS_PER_SEGMENT;
import static io.auditgate.wal.WalFixtures.appendDurably;
import static io.auditgate.wal.WalFixtures.appendRecords;
import static io.auditgate.wal.WalFixtures.appendToFile;
import static io.auditgate.wal.WalFixtures.body;
import static io.auditgate.wal.WalFixtures.drain;
import static io.auditgate.wal.WalFixtures.offsets;
import static io.auditgate.wal.WalFixtures.smallSegments;
import static io.auditgate.wal.WalFixtures.text;
import static io.auditgate.wal.WalFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.wal.CorruptLogException;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecoveryTest {
  @TempDir Path dir;

  private SegmentedWal wal;

  @AfterEach
  void closeLog() {
    if (wal != null) {
      wal.close();
    }
  }

  private SegmentedWal open() {
    return open(WalListener.NONE);
  }

  private SegmentedWal open(WalListener listener) {
    wal = SegmentedWal.open(dir, smallSegments(), Clock.systemUTC(), listener);
    return wal;
  }

  /** Writes {@code count} records and closes the log, leaving CLEAN out as after a crash. */
  private void writeAndCrash(int count) throws Exception {
    open();
    appendRecords(wal, 0, count);
    wal.close();
    Files.delete(dir.resolve("CLEAN"));
  }

  @Test
  void aFreshLogReportsNothingToRecover() {
    RecordingListener listener = new RecordingListener();
    open(listener);

    RecoveryReport report = wal.recoveryReport();

    assertThat(report).isEqualTo(new RecoveryReport(1, 0, 0, 0, 0, List.of(), false));
    assertThat(listener.events()).containsExactly(new WalEvent.Recovered(report));
    assertThat(dir.resolve(Segment.fileName(0))).exists();
  }

  @Test
  void cleanShutdownIsReportedOnlyWhenTheCleanFileIsThere() throws Exception {
    open();
    appendRecords(wal, 0, 3);
    assertThat(dir.resolve("CLEAN")).as("absent while open").doesNotExist();
    wal.close();
    assertThat(dir.resolve("CLEAN")).exists();

    open();
    assertThat(wal.recoveryReport().cleanShutdown()).isTrue();
    assertThat(wal.recoveryReport().bytesTruncated()).isZero();
    assertThat(wal.recoveryReport().truncations()).isEmpty();
    assertThat(wal.recoveryReport().records()).isEqualTo(3);
    wal.close();
    Files.delete(dir.resolve("CLEAN"));

    open();
    assertThat(wal.recoveryReport().cleanShutdown()).isFalse();
    assertThat(wal.recoveryReport().records()).isEqualTo(3);
  }

  @Test
  void closeIsIdempotent() {
    open();
    appendRecords(wal, 0, 1);
    wal.close();
    wal.close();

    open();
    assertThat(wal.recoveryReport().cleanShutdown()).isTrue();
  }

  @Test
  void aTornLastFrameIsCutAndTheRecordsBeforeItSurvive() throws Exception {
    writeAndCrash(10);
    Path segment = dir.resolve(Segment.fileName(0));
    long size = Files.size(segment);
    byte[] lastFrame =
        Arrays.copyOfRange(Files.readAllBytes(segment), (int) size - FRAME_BYTES, (int) size - 30);
    truncate(segment, size - 30); // a crash in the middle of the last frame's body

    open();
    RecoveryReport report = wal.recoveryReport();

    long cut = FRAME_BYTES - 30;
    assertThat(report.bytesTruncated()).isEqualTo(cut);
    assertThat(report.endOffset()).isEqualTo(9);
    assertThat(report.recordsScanned()).isEqualTo(9);
    assertThat(report.cleanShutdown()).isFalse();
    assertThat(report.truncations())
        .singleElement()
        .satisfies(line -> assertThat(line).contains(Segment.fileName(0)).contains("torn"));
    assertThat(Files.size(segment)).isEqualTo(size - FRAME_BYTES);
    String kept = Segment.fileName(0) + "-" + (size - FRAME_BYTES) + "-" + (size - 30) + ".tail";
    assertThat(Files.readAllBytes(dir.resolve("quarantine").resolve(kept))).isEqualTo(lastFrame);

    List<WalRecord> records = drain(wal.cursor("kafka"));
    assertThat(offsets(records)).containsExactlyElementsOf(range(0, 9));
    assertThat(records)
        .allSatisfy(r -> assertThat(text(r)).startsWith("record-%06d".formatted(r.offset())));

    assertThat(appendDurably(wal, body(9)))
        .as("the next append reuses the cut offset")
        .isEqualTo(9);
    wal.close();
    open();
    assertThat(wal.recoveryReport().bytesTruncated()).isZero();
    assertThat(text(drain(wal.cursor("kafka")).get(9))).startsWith("record-000009");
  }

  @Test
  void aFrameCutInsideItsHeaderIsCutToo() throws Exception {
    writeAndCrash(5);
    Path segment = dir.resolve(Segment.fileName(0));
    long size = Files.size(segment);
    truncate(segment, size - FRAME_BYTES + 10);
    // The report counts up to the last non-zero byte: zeros at the very end cannot be told from
    // space the writer preallocated.
    byte[] cut =
        Arrays.copyOfRange(
            Files.readAllBytes(segment),
            (int) (size - FRAME_BYTES),
            (int) (size - FRAME_BYTES + 10));
    int lastNonZero = cut.length;
    while (lastNonZero > 0 && cut[lastNonZero - 1] == 0) {
      lastNonZero--;
    }

    open();

    assertThat(lastNonZero).isPositive();
    assertThat(wal.recoveryReport().bytesTruncated()).isEqualTo(lastNonZero);
    assertThat(wal.recoveryReport().endOffset()).isEqualTo(4);
    assertThat(appendDurably(wal, body(4))).isEqualTo(4);
  }

  @Test
  void garbageAfterTheLastFrameIsCut() throws Exception {
    writeAndCrash(10);
    Path segment = dir.resolve(Segment.fileName(0));
    long size = Files.size(segment);
    byte[] garbage = new byte[40];
    new Random(42).nextBytes(garbage);
    appendToFile(segment, garbage);

    open();

    assertThat(wal.recoveryReport().bytesTruncated()).isEqualTo(40);
    assertThat(wal.recoveryReport().endOffset()).isEqualTo(10);
    assertThat(wal.recoveryReport().truncations()).hasSize(1);
    assertThat(Files.size(segment)).isEqualTo(size);
    assertThat(offsets(drain(wal.cursor("kafka")))).containsExactlyElementsOf(range(0, 10));
    assertThat(appendDurably(wal, body(10))).isEqualTo(10);
  }

  @Test
  void aZeroFilledTailIsPreallocatedSpaceNotACut() throws Exception {
    // The writer extends the active segment with zeros ahead of the data; a crash leaves them.
    writeAndCrash(10);
    Path segment = dir.resolve(Segment.fileName(0));
    long size = Files.size(segment);
    appendToFile(segment, new byte[1000]);

    open();

    assertThat(wal.recoveryReport().bytesTruncated()).isZero();
    assertThat(wal.recoveryReport().truncations()).isEmpty();
    assertThat(Files.size(segment)).isEqualTo(size);
    assertThat(appendDurably(wal, body(10))).isEqualTo(10);
  }

  @Test
  void aTornFrameFollowedByPreallocatedZerosIsCutAndReportedUpToItsLastByte() throws Exception {
    writeAndCrash(10);
    Path segment = dir.resolve(Segment.fileName(0));
    long size = Files.size(segment);
    byte[] garbage = new byte[40];
    new Random(7).nextBytes(garbage);
    garbage[39] = 1; // the last byte is not zero, so all 40 count
    appendToFile(segment, garbage);
    appendToFile(segment, new byte[5000]);

    open();

    assertThat(wal.recoveryReport().bytesTruncated()).isEqualTo(40);
    assertThat(wal.recoveryReport().truncations()).hasSize(1);
    assertThat(Files.size(segment)).isEqualTo(size);
    assertThat(offsets(drain(wal.cursor("kafka")))).containsExactlyElementsOf(range(0, 10));
  }

  @Test
  void aCorruptLastFrameIsCutWithEverythingAfterIt() throws Exception {
    writeAndCrash(10);
    Path segment = dir.resolve(Segment.fileName(0));
    WalFixtures.flipByte(segment, WalFixtures.positionInSegment(9) + 60);

    open();

    assertThat(wal.recoveryReport().endOffset()).isEqualTo(9);
    assertThat(wal.recoveryReport().bytesTruncated()).isEqualTo(FRAME_BYTES);
    assertThat(wal.recoveryReport().truncations().get(0)).contains("crc mismatch");
  }

  @Test
  void onlyTheActiveSegmentIsScannedAndCut() throws Exception {
    writeAndCrash(2 * RECORDS_PER_SEGMENT + 3);
    Path active = dir.resolve(Segment.fileName(2 * RECORDS_PER_SEGMENT));
    truncate(active, Files.size(active) - 1);

    open();
    RecoveryReport report = wal.recoveryReport();

    assertThat(report.segments()).isEqualTo(3);
    assertThat(report.recordsScanned()).isEqualTo(2);
    assertThat(report.endOffset()).isEqualTo(2 * RECORDS_PER_SEGMENT + 2);
    assertThat(report.bytesTruncated()).isEqualTo(FRAME_BYTES - 1);
    assertThat(offsets(drain(wal.cursor("kafka"))))
        .containsExactlyElementsOf(range(0, 2 * RECORDS_PER_SEGMENT + 2));
  }

  @Test
  void anEmptySegmentLeftByACrashDuringItsCreationIsRepaired() throws Exception {
    writeAndCrash(RECORDS_PER_SEGMENT + 5);
    Path fresh = dir.resolve(Segment.fileName(RECORDS_PER_SEGMENT + 5));
    Files.createFile(fresh);

    open();

    assertThat(wal.recoveryReport().segments()).isEqualTo(3);
    assertThat(wal.recoveryReport().endOffset()).isEqualTo(RECORDS_PER_SEGMENT + 5);
    assertThat(Files.size(fresh)).isEqualTo(Segment.HEADER_BYTES);
    assertThat(appendDurably(wal, body(RECORDS_PER_SEGMENT + 5)))
        .isEqualTo(RECORDS_PER_SEGMENT + 5);
    assertThat(offsets(drain(wal.cursor("kafka"))))
        .containsExactlyElementsOf(range(0, RECORDS_PER_SEGMENT + 6));
    wal.close(); // trims the preallocated zeros
    assertThat(Files.size(fresh)).isEqualTo(Segment.HEADER_BYTES + FRAME_BYTES);
  }

  @Test
  void aSegmentWithATornHeaderIsRepairedAndReported() throws Exception {
    writeAndCrash(7);
    Path fresh = dir.resolve(Segment.fileName(7));
    byte[] header = new byte[Segment.HEADER_BYTES];
    Segment.header(7).get(header);
    Files.write(fresh, Arrays.copyOf(header, 5));

    open();
    RecoveryReport report = wal.recoveryReport();

    assertThat(report.bytesTruncated()).isEqualTo(5);
    assertThat(report.truncations())
        .singleElement()
        .satisfies(line -> assertThat(line).contains(Segment.fileName(7)).contains("5-byte"));
    assertThat(Files.readAllBytes(fresh)).isEqualTo(header);
    assertThat(appendDurably(wal, body(7))).isEqualTo(7);
    assertThat(offsets(drain(wal.cursor("kafka")))).containsExactlyElementsOf(range(0, 8));

    wal.close();
    open();
    assertThat(wal.recoveryReport().truncations()).isEmpty();
    assertThat(wal.recoveryReport().endOffset()).isEqualTo(8);
  }

  @Test
  void aLastSegmentWithABadHeaderButDataIsRefusedRatherThanGuessed() throws Exception {
    writeAndCrash(5);
    WalFixtures.flipByte(dir.resolve(Segment.fileName(0)), 0);

    assertThatThrownBy(this::open).isInstanceOf(CorruptLogException.class);
  }

  @Test
  void aCopyTakenWhileTheLogIsOpenHoldsEveryAcknowledgedRecord(@TempDir Path copy)
      throws Exception {
    // The closest a unit test gets to pulling the plug: the files as they are between writes.
    open();
    appendRecords(wal, 0, RECORDS_PER_SEGMENT + 10);
    wal.cursor("kafka").poll(3, Long.MAX_VALUE);
    wal.cursor("kafka").ack(3);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(dir.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target);
        }
      }
    }

    try (SegmentedWal crashed =
        SegmentedWal.open(copy, smallSegments(), Clock.systemUTC(), WalListener.NONE)) {
      assertThat(crashed.recoveryReport().cleanShutdown()).isFalse();
      assertThat(crashed.recoveryReport().endOffset()).isEqualTo(RECORDS_PER_SEGMENT + 10);
      assertThat(crashed.cursor("kafka").ackedOffset()).isEqualTo(3);
      assertThat(offsets(drain(crashed.cursor("kafka"))))
          .containsExactlyElementsOf(range(3, RECORDS_PER_SEGMENT + 10));
    }
  }

  private static List<Long> range(long from, long to) {
    return LongStream.range(from, to).boxed().toList();
  }
}
