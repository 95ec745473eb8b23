package io.auditgate.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.MessageState;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalSmokeTest {
  @TempDir Path dir;

  @Test
  void appendsReadsAcksAndSurvivesReopen() throws Exception {
    WalConfig config =
        new WalConfig(
            DataSize.ofKibibytes(4),
            DataSize.ofBytes(512),
            null,
            null,
            DataSize.ofMebibytes(1),
            null,
            null);
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    try (SegmentedWal wal = SegmentedWal.open(dir, config, Clock.systemUTC(), WalListener.NONE)) {
      WalCursor cursor = wal.cursor("kafka");
      for (int i = 0; i < 500; i++) {
        var outcome = wal.append((byte) 1, ("message-" + i).getBytes(StandardCharsets.UTF_8));
        futures.add(((AppendOutcome.Accepted) outcome).durable());
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      assertThat(wal.durableEndOffset()).isEqualTo(500);
      assertThat(wal.metrics().segments()).isGreaterThan(1);
      List<WalRecord> first = cursor.poll(100, Long.MAX_VALUE);
      assertThat(first).hasSize(100);
      assertThat(new String(first.get(42).body(), StandardCharsets.UTF_8)).isEqualTo("message-42");
      cursor.ack(50);
      assertThat(wal.state("kafka", 10)).contains(MessageState.ACKED);
      assertThat(wal.state("kafka", 60)).contains(MessageState.IN_FLIGHT);
      assertThat(wal.state("kafka", 160)).contains(MessageState.ENQUEUED);
    }
    try (SegmentedWal wal = SegmentedWal.open(dir, config, Clock.systemUTC(), WalListener.NONE)) {
      assertThat(wal.recoveryReport().cleanShutdown()).isTrue();
      WalCursor cursor = wal.cursor("kafka");
      assertThat(cursor.ackedOffset()).isEqualTo(50);
      List<WalRecord> all = new ArrayList<>();
      for (List<WalRecord> got; !(got = cursor.poll(64, Long.MAX_VALUE)).isEmpty(); ) {
        all.addAll(got);
      }
      assertThat(all).hasSize(450);
      for (int i = 0; i < all.size(); i++) {
        assertThat(all.get(i).offset()).isEqualTo(50 + i);
        assertThat(new String(all.get(i).body(), StandardCharsets.UTF_8))
            .isEqualTo("message-" + (50 + i));
      }
      cursor.ack(500);
      assertThat(wal.metrics().segments()).isEqualTo(1);
    }
  }
}
