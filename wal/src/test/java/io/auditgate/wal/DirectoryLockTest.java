package io.auditgate.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.LogInUseException;
import io.auditgate.core.wal.WalListener;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two writers on one log would interleave segments; the second is refused until the first closes.
 */
class DirectoryLockTest {
  @TempDir Path dir;

  @Test
  void aSecondOpenOfAnOpenLogIsRefusedAndTheFirstKeepsWorking() {
    try (SegmentedWal first =
        SegmentedWal.open(dir, WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE)) {
      assertThatThrownBy(
              () ->
                  SegmentedWal.open(dir, WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE))
          .isInstanceOf(LogInUseException.class)
          .hasMessageContaining("in use by another gateway");
      assertThat(WalFixtures.appendDurably(first, WalFixtures.body(0))).isZero();
    }
    try (SegmentedWal again =
        SegmentedWal.open(dir, WalConfig.defaults(), Clock.systemUTC(), WalListener.NONE)) {
      assertThat(again.recoveryReport().cleanShutdown()).isTrue();
      assertThat(again.durableEndOffset()).isEqualTo(1);
    }
  }
}
