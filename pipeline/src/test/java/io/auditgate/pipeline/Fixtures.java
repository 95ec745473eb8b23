package io.auditgate.pipeline;

import static org.assertj.core.api.Assertions.fail;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WriteAheadLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Small log configurations, bodies that name their index, and waiting for a condition. */
final class Fixtures {
  /** Fast retries so that tests of interruptions do not wait for production backoffs. */
  static final DispatcherSettings FAST =
      new DispatcherSettings(
          64,
          1024 * 1024,
          Duration.ofMillis(1),
          Duration.ofMillis(20),
          Duration.ofMillis(50),
          Duration.ofSeconds(10));

  private Fixtures() {}

  /** 64 KiB segments (so a few thousand records span several), 64 MiB in all. */
  static WalConfig smallSegments() {
    return new WalConfig(
        DataSize.ofKibibytes(64),
        DataSize.ofKibibytes(32),
        null,
        null,
        DataSize.ofMebibytes(64),
        null,
        null);
  }

  static byte[] body(long index) {
    return String.format("record-%06d", index).getBytes(StandardCharsets.US_ASCII);
  }

  /** Appends {@code count} telemetry records naming indexes {@code from..}, waits until durable. */
  static void append(WriteAheadLog wal, long from, int count) {
    AppendOutcome last = null;
    for (long i = from; i < from + count; i++) {
      last = wal.append(RecordTypes.TELEMETRY, body(i));
      if (!(last instanceof AppendOutcome.Accepted)) {
        fail("append refused: " + last);
      }
    }
    if (last != null) {
      ((AppendOutcome.Accepted) last).durable().orTimeout(10, TimeUnit.SECONDS).join();
    }
  }

  static void await(String what, BooleanSupplier condition) {
    await(what, Duration.ofSeconds(15), condition);
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }
}
