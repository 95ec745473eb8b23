package io.auditgate.wal;

import static io.auditgate.wal.FaultFixtures.accepted;
import static io.auditgate.wal.FaultFixtures.await;
import static io.auditgate.wal.FaultFixtures.failureOf;
import static io.auditgate.wal.FaultFixtures.readAll;
import static io.auditgate.wal.FaultFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WalWriteFailedException;
import io.auditgate.wal.internal.FrameCodec;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power loss after a process crash or a failed force, in the same boot: what the reopened log calls
 * durable must be on stable storage, not only in the page cache. Uses the stable-storage model of
 * {@link FaultyFileChannel.Faults}: the files show the page cache, {@code powerLoss()} puts back
 * what successful forces persisted.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PowerLossTest {
  private static final WalConfig CONFIG = FaultFixtures.config(64 * 1024, 16 * 1024);

  @TempDir Path dir;

  private final FaultyFileChannel.Faults disk = new FaultyFileChannel.Faults();

  private SegmentedWal open() {
    return SegmentedWal.open(
        dir, CONFIG, Clock.systemUTC(), WalListener.NONE, FaultyFileChannel.opener(disk));
  }

  /**
   * A process wrote a frame and was killed before its force: the frame is intact in the page cache.
   * The next process recovers it, calls it durable and serves it to cursors, so it must be on
   * stable storage by then; a power loss afterwards must not take it (its offset would be reused
   * for another record).
   */
  @Test
  void whatRecoveryKeepsIsForcedBeforeItIsCalledDurable() throws Exception {
    try (SegmentedWal wal = open()) {
      for (int i = 0; i < 3; i++) {
        await(accepted(wal.append(RecordTypes.TELEMETRY, bytes("forced-" + i))));
      }
    }
    Files.delete(dir.resolve("CLEAN"));
    Path segment = segmentFiles(dir).get(0);
    ByteBuffer frame = ByteBuffer.allocate(FrameCodec.frameBytes(11));
    FrameCodec.encode(frame, RecordTypes.TELEMETRY, 3, 0, bytes("never-force"));
    frame.flip();
    try (FileChannel killed =
        FaultyFileChannel.opener(disk).open(segment, StandardOpenOption.WRITE)) {
      long at = killed.size();
      while (frame.hasRemaining()) {
        at += killed.write(frame, at);
      }
    }

    try (SegmentedWal wal = open()) {
      assertThat(wal.recoveryReport().endOffset()).isEqualTo(4);
      assertThat(wal.durableEndOffset()).isEqualTo(4);
      List<WalRecord> served = readAll(wal, "sink");
      assertThat(served).hasSize(4);
      assertThat(new String(served.get(3).body(), StandardCharsets.UTF_8)).isEqualTo("never-force");
    }
    disk.powerLoss();

    try (SegmentedWal wal = open()) {
      List<WalRecord> records = readAll(wal, "check");
      assertThat(records).as("records the previous open called durable").hasSize(4);
      assertThat(new String(records.get(3).body(), StandardCharsets.UTF_8))
          .isEqualTo("never-force");
    }
  }

  /**
   * A force fails and the kernel marks the batch's pages clean without writing them (fsyncgate).
   * The log is reopened in the same boot, appends more and acknowledges them; then the power goes.
   * Every acknowledged record must survive, so the reopened log must not build on the failed
   * batch's bytes that are only in the page cache.
   */
  @Test
  void afterAFailedForceReopenedAppendsSurviveAPowerLoss() throws Exception {
    Map<Long, String> acknowledged = new LinkedHashMap<>();
    try (SegmentedWal wal = open()) {
      for (int i = 0; i < 3; i++) {
        String body = "before-" + i;
        acknowledged.put(await(accepted(wal.append(RecordTypes.TELEMETRY, bytes(body)))), body);
      }
      disk.failForce(1, false);
      // 9,000 bytes: whole pages of it are written by nothing else afterwards
      byte[] big = new byte[9000];
      Arrays.fill(big, (byte) 'x');
      Throwable failure = failureOf(accepted(wal.append(RecordTypes.TELEMETRY, big)));
      assertThat(failure).isInstanceOf(WalWriteFailedException.class);
    }

    try (SegmentedWal wal = open()) {
      assertThat(wal.recoveryReport().endOffset())
          .as("the failed batch is not stored (WalWriteFailedException)")
          .isEqualTo(3);
      for (int i = 0; i < 3; i++) {
        String body = "after-reopen-" + i;
        acknowledged.put(await(accepted(wal.append(RecordTypes.TELEMETRY, bytes(body)))), body);
      }
    }
    disk.powerLoss();

    try (SegmentedWal wal = open()) {
      List<WalRecord> records = readAll(wal, "check");
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).isEqualTo(i);
      }
      acknowledged.forEach(
          (offset, body) -> {
            assertThat(offset).as("acknowledged offset").isLessThan(records.size());
            byte[] stored = records.get(Math.toIntExact(offset)).body();
            assertThat(new String(stored, StandardCharsets.UTF_8))
                .as("acknowledged record %d", offset)
                .isEqualTo(body);
          });
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
