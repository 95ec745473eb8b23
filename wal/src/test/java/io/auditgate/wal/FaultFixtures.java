package io.auditgate.wal;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/** Small helpers shared by the log's crash and fault tests. */
final class FaultFixtures {
  /** How long a test waits for something that should take milliseconds before it fails. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private FaultFixtures() {}

  static WalConfig config(long segmentBytes, long maxRecordBytes) {
    return config(segmentBytes, maxRecordBytes, null, Duration.ZERO);
  }

  /**
   * Without preallocation, so that every byte the log writes is a frame byte and the tests can
   * place faults and cuts at exact frame positions. The kill -9 test ({@link CrashChild}) and
   * {@code RecoveryTest} cover the preallocated tail.
   */
  static WalConfig config(
      long segmentBytes, long maxRecordBytes, DataSize maxBatch, Duration linger) {
    return new WalConfig(
            DataSize.ofBytes(segmentBytes),
            DataSize.ofBytes(maxRecordBytes),
            maxBatch,
            linger,
            null,
            null,
            null)
        .withPreallocation(DataSize.ofBytes(0));
  }

  /** The future of an append that must have been accepted. */
  static CompletableFuture<Long> accepted(AppendOutcome outcome) {
    if (outcome instanceof AppendOutcome.Accepted accepted) {
      return accepted.durable();
    }
    throw new AssertionError("append was refused: " + outcome);
  }

  /** The future's offset, failing the test instead of hanging if it never completes. */
  static long await(CompletableFuture<Long> future) {
    try {
      return future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      throw new AssertionError("append failed", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("append did not complete within " + PATIENCE, e);
    }
  }

  /**
   * What the future completed exceptionally with, or null if it completed normally; fails the test
   * if it does not complete in time.
   */
  static Throwable failureOf(CompletableFuture<Long> future) {
    try {
      future.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (TimeoutException e) {
      throw new AssertionError("append future left hanging for " + PATIENCE, e);
    }
  }

  /** Every record a fresh cursor of that name can read, oldest first. */
  static List<WalRecord> readAll(WriteAheadLog wal, String cursorName) {
    WalCursor cursor = wal.cursor(cursorName);
    List<WalRecord> all = new ArrayList<>();
    for (List<WalRecord> got; !(got = cursor.poll(256, Long.MAX_VALUE)).isEmpty(); ) {
      all.addAll(got);
    }
    return all;
  }

  /** The segment files in {@code dir}, oldest first. */
  static List<Path> segmentFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> Segment.parseBase(p).isPresent()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long baseOf(Path segment) {
    return Segment.parseBase(segment).orElseThrow();
  }
}
