package io.auditgate.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Shared helpers for the log's tests: small configurations, bodies, file surgery, waiting. */
final class WalFixtures {
  static final byte TYPE = 1;

  /** Body size of most tests: with the 25-byte frame header, 32 records fill a 4KiB segment. */
  static final int BODY_BYTES = 100;

  static final int FRAME_BYTES = 25 + BODY_BYTES;

  /** Records per 4KiB segment with {@link #BODY_BYTES} bodies: (4096 - 16) / 125. */
  static final int RECORDS_PER_SEGMENT = (4096 - Segment.HEADER_BYTES) / FRAME_BYTES;

  private WalFixtures() {}

  /** 4KiB segments, 512-byte records, 1MiB in total, refusing when full. */
  static WalConfig smallSegments() {
    return new WalConfig(
        DataSize.ofKibibytes(4),
        DataSize.ofBytes(512),
        null,
        null,
        DataSize.ofMebibytes(1),
        null,
        null);
  }

  /**
   * A body of exactly {@link #BODY_BYTES} bytes that names its index, so a test can tell which
   * record it got: {@code "record-000042"} padded with dots.
   */
  static byte[] body(long index) {
    byte[] body = new byte[BODY_BYTES];
    Arrays.fill(body, (byte) '.');
    byte[] name = String.format("record-%06d", index).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, body, 0, name.length);
    return body;
  }

  static String text(WalRecord record) {
    return new String(record.body(), StandardCharsets.US_ASCII);
  }

  /** Appends and waits until durable; fails the test on a refusal. Returns the offset. */
  static long appendDurably(WriteAheadLog wal, byte[] body) {
    AppendOutcome outcome = wal.append(TYPE, body);
    if (!(outcome instanceof AppendOutcome.Accepted accepted)) {
      throw new AssertionError("append was refused: " + outcome);
    }
    return join(accepted.durable());
  }

  /** Appends {@code count} records with {@link #body} of their index, all waited for. */
  static void appendRecords(WriteAheadLog wal, int from, int count) {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      AppendOutcome outcome = wal.append(TYPE, body(i));
      assertThat(outcome).isInstanceOf(AppendOutcome.Accepted.class);
      futures.add(((AppendOutcome.Accepted) outcome).durable());
    }
    for (int i = 0; i < futures.size(); i++) {
      assertThat(join(futures.get(i))).isEqualTo((long) from + i);
    }
  }

  static long join(CompletableFuture<Long> future) {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("append did not become durable: " + e, e);
    }
  }

  /** Polls the cursor until it returns nothing. */
  static List<WalRecord> drain(WalCursor cursor) {
    List<WalRecord> all = new ArrayList<>();
    for (List<WalRecord> got; !(got = cursor.poll(7, Long.MAX_VALUE)).isEmpty(); ) {
      all.addAll(got);
    }
    return all;
  }

  static List<Long> offsets(List<WalRecord> records) {
    return records.stream().map(WalRecord::offset).toList();
  }

  static List<Path> segmentFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".seg")).sorted().toList();
    }
  }

  static List<Path> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.sorted().toList();
    }
  }

  /** Byte position, in its segment, of the record at {@code offset} (fixed-size bodies). */
  static long positionInSegment(long offset) {
    return Segment.HEADER_BYTES + (offset % RECORDS_PER_SEGMENT) * (long) FRAME_BYTES;
  }

  static byte readByte(Path file, long position) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      return one.get(0);
    }
  }

  static void writeBytes(Path file, long position, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer, position + buffer.position());
      }
      channel.force(true);
    }
  }

  /** Inverts every bit of the byte at {@code position}, in place. */
  static void flipByte(Path file, long position) throws IOException {
    writeBytes(file, position, new byte[] {(byte) ~readByte(file, position)});
  }

  static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
      channel.force(true);
    }
  }

  static void appendToFile(Path file, byte[] bytes) throws IOException {
    Files.write(file, bytes, StandardOpenOption.APPEND);
  }

  /** Waits, polling, for a condition that another thread makes true; fails after the timeout. */
  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }
}
