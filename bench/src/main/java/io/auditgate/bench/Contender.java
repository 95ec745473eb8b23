package io.auditgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * One way of storing messages durably, benchmarked side by side with the others. A contender is
 * opened on an empty directory, called concurrently by many producer threads, then closed.
 *
 * <p>{@link #appendDurably} blocks until the message is on stable storage: the benchmark is a
 * closed loop (each producer waits for durability before its next append), and a blocking call is
 * the natural shape of the per-message SQLite design, while the queue-based designs simply join
 * their future inside it.
 */
public interface Contender {

  /** Stable name used as the JSON key, for example {@code auditgate}. */
  String name();

  /** Creates the contender's files in {@code dir} (empty, existing) and starts its threads. */
  void open(Path dir) throws Exception;

  /**
   * Stores one message and returns once it is durable (written and forced).
   *
   * @throws Exception if the message was refused or could not be made durable
   */
  void appendDurably(byte[] body) throws Exception;

  /** Messages made durable and commits (forces) issued since open; read from any thread. */
  CommitCounters counters();

  /** Writes and forces what is pending, stops threads, closes files. Idempotent. */
  void close() throws Exception;

  /** Messages made durable and the commits (one force each) that made them durable. */
  record CommitCounters(long records, long commits) {
    CommitCounters minus(CommitCounters earlier) {
      return new CommitCounters(records - earlier.records, commits - earlier.commits);
    }
  }

  /** Bytes held by the regular files under {@code dir}. */
  static long bytesOnDisk(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(Contender::sizeOf).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }
}
