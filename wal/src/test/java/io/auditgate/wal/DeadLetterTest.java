package io.auditgate.wal;

import static io.auditgate.wal.WalFixtures.appendRecords;
import static io.auditgate.wal.WalFixtures.smallSegments;
import static io.auditgate.wal.WalFixtures.truncate;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.DeadLetterCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeadLetterTest {
  @TempDir Path dir;

  private final MutableClock clock = MutableClock.atFixedStart();
  private SegmentedWal wal;

  @AfterEach
  void closeLog() {
    if (wal != null) {
      wal.close();
    }
  }

  private SegmentedWal open() {
    wal = SegmentedWal.open(dir, smallSegments(), clock, WalListener.NONE);
    return wal;
  }

  private SegmentedWal reopen() {
    wal.close();
    return open();
  }

  @Test
  void aCursorsDeadLetterIsDurableAndMarksTheRecordDeadForThatCursorOnly() {
    open();
    appendRecords(wal, 0, 5);
    WalCursor kafka = wal.cursor("kafka");
    WalCursor s3 = wal.cursor("s3");
    List<WalRecord> records = kafka.poll(5, Long.MAX_VALUE);
    WalRecord bad = records.get(2);
    clock.advance(Duration.ofSeconds(3));

    DeadLetter dead = kafka.deadLetter(bad, "invalid_json", "unexpected '}' at 17");

    assertThat(dead.sequence()).isZero();
    assertThat(dead.source()).isEqualTo("kafka");
    assertThat(dead.walOffset()).isEqualTo(2);
    assertThat(dead.reasonCode()).isEqualTo("invalid_json");
    assertThat(dead.detail()).isEqualTo("unexpected '}' at 17");
    assertThat(dead.deadAtMillis()).isEqualTo(clock.millis());
    assertThat(dead.recordType()).isEqualTo(bad.type());
    assertThat(dead.body()).isEqualTo(bad.body());
    assertThat(wal.deadLetters()).containsExactly(dead);
    assertThat(wal.metrics().deadLetters()).isEqualTo(1);

    assertThat(wal.state("kafka", 2)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 1)).contains(MessageState.IN_FLIGHT);
    assertThat(wal.state("s3", 2)).contains(MessageState.ENQUEUED);
    assertThat(kafka.ackedOffset()).as("dead-lettering does not acknowledge").isZero();

    kafka.ack(5);
    assertThat(wal.state("kafka", 2)).as("dead wins over acked").contains(MessageState.DEAD);
    s3.poll(5, Long.MAX_VALUE);
    assertThat(wal.state("s3", 2)).contains(MessageState.IN_FLIGHT);

    reopen();

    assertThat(wal.deadLetters()).containsExactly(dead);
    assertThat(wal.state("kafka", 2)).contains(MessageState.DEAD);
    assertThat(wal.state("kafka", 3)).contains(MessageState.ACKED);
    assertThat(wal.state("s3", 2)).contains(MessageState.ENQUEUED);
  }

  @Test
  void aRecordThatNeverEnteredTheLogIsDeadLetteredWithOffsetMinusOne() {
    open();
    byte[] payload = "{not json".getBytes(StandardCharsets.UTF_8);

    DeadLetter dead = wal.deadLetter("mqtt", "invalid_json", "cannot parse", payload);

    assertThat(dead.walOffset()).isEqualTo(-1);
    assertThat(dead.source()).isEqualTo("mqtt");
    assertThat(dead.recordType()).isZero();
    assertThat(dead.body()).isEqualTo(payload);
    assertThat(wal.durableEndOffset()).as("it does not enter the log").isZero();

    reopen();

    assertThat(wal.deadLetters()).containsExactly(dead);
    assertThat(wal.durableEndOffset()).isZero();
  }

  @Test
  void deadLettersKeepTheirOrderAndSequenceAcrossReopens() {
    open();
    appendRecords(wal, 0, 3);
    WalCursor kafka = wal.cursor("kafka");
    List<WalRecord> records = kafka.poll(3, Long.MAX_VALUE);
    DeadLetter first = wal.deadLetter("mqtt", "too_large", "", new byte[] {1});
    DeadLetter second = kafka.deadLetter(records.get(0), "rejected", "by broker");

    reopen();
    DeadLetter third = wal.deadLetter("http", "unauthorised", "bad token", new byte[0]);

    assertThat(third.sequence()).isEqualTo(2);
    assertThat(wal.deadLetters()).containsExactly(first, second, third);
    assertThat(wal.deadLetters()).extracting(DeadLetter::sequence).containsExactly(0L, 1L, 2L);
  }

  @Test
  void aLongDetailIsCutButKeptReadable() {
    open();
    String detail = "x".repeat(10_000);

    wal.deadLetter("mqtt", "invalid_json", detail, new byte[] {1, 2, 3});
    reopen();

    DeadLetter stored = wal.deadLetters().get(0);
    assertThat(stored.detail()).hasSize(4096).isEqualTo(detail.substring(0, 4096));
    assertThat(stored.body()).containsExactly(1, 2, 3);
  }

  @Test
  void aTornTailOfTheDeadLetterLogIsCutOnReopenAndReported() throws Exception {
    open();
    appendRecords(wal, 0, 3);
    WalCursor kafka = wal.cursor("kafka");
    List<WalRecord> records = kafka.poll(3, Long.MAX_VALUE);
    DeadLetter kept = wal.deadLetter("mqtt", "invalid_json", "first", new byte[] {1, 2});
    kafka.deadLetter(records.get(1), "rejected", "second, torn below");
    wal.close();
    Path file = dir.resolve("dead-letters.log");
    long size = Files.size(file);
    truncate(file, size - 5); // a crash in the middle of writing the second

    open();

    assertThat(wal.deadLetters()).containsExactly(kept);
    assertThat(wal.recoveryReport().truncations())
        .anySatisfy(line -> assertThat(line).contains("dead-letters.log").contains("cut"));
    long keptBytes = Files.size(file);
    assertThat(keptBytes).isLessThan(size - 5);
    assertThat(wal.state("kafka", 1))
        .as("a dead letter whose write was torn never happened")
        .contains(MessageState.ENQUEUED);

    DeadLetter next = wal.deadLetter("mqtt", "invalid_json", "after", new byte[0]);
    assertThat(next.sequence()).isEqualTo(1);
    reopen();
    assertThat(wal.deadLetters()).containsExactly(kept, next);
    assertThat(wal.recoveryReport().truncations()).isEmpty();
  }

  @Test
  void garbageAfterTheLastDeadLetterIsCutOnReopen() throws Exception {
    open();
    DeadLetter kept = wal.deadLetter("mqtt", "invalid_json", "only", new byte[] {9});
    wal.close();
    WalFixtures.appendToFile(dir.resolve("dead-letters.log"), new byte[] {0, 0, 0, 0, 0, 0, 0});

    open();

    assertThat(wal.deadLetters()).containsExactly(kept);
    assertThat(wal.recoveryReport().truncations())
        .containsExactly("dead-letters.log: cut 7 torn bytes");
  }

  @Test
  void codecRoundTripsEveryField() {
    byte[] encoded =
        DeadLetterCodec.encode("kafka", 42, "rejected", "détail ✓", (byte) 3, new byte[] {7, 8});

    DeadLetter decoded = DeadLetterCodec.decode(new WalRecord(5, (byte) 1, 1234, encoded));

    assertThat(decoded)
        .isEqualTo(
            new DeadLetter(
                5, "kafka", 42, "rejected", "détail ✓", 1234, (byte) 3, new byte[] {7, 8}));
  }
}
