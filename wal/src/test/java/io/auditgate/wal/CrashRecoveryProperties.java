package io.auditgate.wal;

import static io.auditgate.wal.FaultFixtures.accepted;
import static io.auditgate.wal.FaultFixtures.await;
import static io.auditgate.wal.FaultFixtures.baseOf;
import static io.auditgate.wal.FaultFixtures.readAll;
import static io.auditgate.wal.FaultFixtures.segmentFiles;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.Directories;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.WalEvent;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.internal.FrameCodec;
import io.auditgate.wal.internal.Segment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;

/**
 * Crash images of the log, built from what a clean run wrote: the segment that was being written
 * loses its tail (the file is cut short) or has its tail garbled (a torn or misdirected write), and
 * the log is reopened. Recovery must keep exactly the frames that precede the first damaged byte,
 * report precisely the bytes it cut, keep them as evidence, and continue the offsets from there;
 * and a crash at any moment after a future completed never loses that record.
 *
 * <p>jqwik prints the seed of a failing run; rerun it with {@code @Property(seed = "...")}.
 */
class CrashRecoveryProperties {
  private static final int HEADER = Segment.HEADER_BYTES;
  private static final int MAX_BODY = 2000;
  private static final int PER_MILLION = 1_000_000;

  /** One append the property makes. */
  record Append(byte type, byte[] body) {
    @Override
    public String toString() {
      return "Append[type=" + type + ", " + body.length + " bytes]";
    }
  }

  /** What a crash does to the segment it hits, from some first byte on. */
  sealed interface Damage permits Cut, Scribble {}

  /**
   * The file ends early: at a point picked as a fraction (per million) of the damageable range,
   * optionally moved up to the next frame boundary, then shifted by a few bytes either way.
   */
  record Cut(int where, boolean snap, int shift) implements Damage {}

  /** Bytes in the tail from a point picked as for {@link Cut} on are flipped or overwritten. */
  record Scribble(int where, boolean snap, List<Hit> hits) implements Damage {}

  /** One damaged byte: {@code at} (modulo the region's length) into the region. */
  record Hit(int at, byte value, boolean flip) {}

  /** The damaged segment: its size now and the first byte that is not what the log wrote. */
  record Crashed(long size, long firstBadByte) {}

  @Provide
  Arbitrary<List<Append>> appends() {
    Arbitrary<Byte> types = Arbitraries.bytes().between((byte) 1, Byte.MAX_VALUE);
    Arbitrary<byte[]> bodies =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(MAX_BODY)
            .withSizeDistribution(RandomDistribution.uniform());
    return Combinators.combine(types, bodies)
        .as(Append::new)
        .list()
        .ofMaxSize(100)
        .withSizeDistribution(RandomDistribution.uniform());
  }

  @Provide
  Arbitrary<Damage> damage() {
    Arbitrary<Integer> where = Arbitraries.integers().between(0, PER_MILLION);
    Arbitrary<Boolean> snap = Arbitraries.of(true, false);
    Arbitrary<Cut> cuts =
        Combinators.combine(where, snap, Arbitraries.integers().between(-40, 40)).as(Cut::new);
    Arbitrary<Hit> hits =
        Combinators.combine(
                Arbitraries.integers().greaterOrEqual(0),
                Arbitraries.bytes(),
                Arbitraries.of(true, false))
            .as(Hit::new);
    Arbitrary<Scribble> scribbles =
        Combinators.combine(where, snap, hits.list().ofMinSize(1).ofMaxSize(8)).as(Scribble::new);
    return Arbitraries.oneOf(cuts, scribbles);
  }

  /**
   * The newest segment is damaged anywhere after its header: what a cursor reads is exactly the
   * appended records up to the last intact frame, every sealed segment is whole, the report counts
   * the cut bytes exactly, and the next append gets the next offset.
   */
  @Property(tries = 120)
  void recoveryKeepsExactlyTheIntactPrefix(
      @ForAll("appends") List<Append> appends,
      @ForAll @IntRange(min = 4096, max = 65536) int segmentSize,
      @ForAll("damage") Damage damage)
      throws IOException {
    Path dir = Files.createTempDirectory("crash-recovery");
    try {
      WalConfig config = FaultFixtures.config(segmentSize, MAX_BODY);
      try (SegmentedWal wal = open(dir, config, WalListener.NONE)) {
        List<CompletableFuture<Long>> futures = appendAll(wal, appends);
        for (int i = 0; i < futures.size(); i++) {
          assertThat(await(futures.get(i))).isEqualTo(i);
        }
      }
      List<Path> segments = segmentFiles(dir);
      Path newest = segments.get(segments.size() - 1);
      long recovered = crashAndRecover(dir, config, appends, newest, HEADER, damage);
      assertThat(recovered)
          .as("records in sealed segments are never cut")
          .isGreaterThanOrEqualTo(baseOf(newest));
    } finally {
      Directories.deleteTree(dir);
    }
  }

  /**
   * A crash at any moment after some futures completed: the segment that was being written then
   * keeps at least the durable size recorded when they completed (the log's durable point) and
   * anything after it may be cut or garbled; segments created later do not exist yet. Every
   * acknowledged record must come back.
   */
  @Property(tries = 120)
  void noAcknowledgedRecordIsLost(
      @ForAll("appends") List<Append> appends,
      @ForAll @IntRange(min = 4096, max = 65536) int segmentSize,
      @ForAll @IntRange(min = 0, max = PER_MILLION) int crashAfter,
      @ForAll("damage") Damage damage)
      throws IOException {
    Path dir = Files.createTempDirectory("crash-acked");
    try {
      WalConfig config = FaultFixtures.config(segmentSize, MAX_BODY);
      // points[k]: the durable point seen when the future of record k - 1 completed
      AtomicReferenceArray<DurablePoint> points = new AtomicReferenceArray<>(appends.size() + 1);
      try (SegmentedWal wal = open(dir, config, WalListener.NONE)) {
        points.set(0, wal.durablePoint());
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (int i = 0; i < appends.size(); i++) {
          Append a = appends.get(i);
          CompletableFuture<Long> future = accepted(wal.append(a.type(), a.body()));
          int k = i + 1;
          futures.add(
              future.thenApply(
                  offset -> {
                    points.set(k, wal.durablePoint());
                    return offset;
                  }));
        }
        for (int i = 0; i < futures.size(); i++) {
          assertThat(await(futures.get(i))).isEqualTo(i);
        }
      }
      int acknowledged = (int) ((long) crashAfter * appends.size() / PER_MILLION);
      DurablePoint point = points.get(acknowledged);
      assertThat(point.endOffset())
          .as("durable end offset when %d futures had completed", acknowledged)
          .isGreaterThanOrEqualTo(acknowledged);
      long recovered =
          crashAndRecover(dir, config, appends, point.active().path(), point.activeBytes(), damage);
      assertThat(recovered)
          .as("records recovered after a crash with %d acknowledged", acknowledged)
          .isGreaterThanOrEqualTo(point.endOffset());
    } finally {
      Directories.deleteTree(dir);
    }
  }

  /**
   * Turns the cleanly closed log in {@code dir} into a crash image (no clean marker, no segment
   * newer than {@code target}, {@code target} damaged from byte {@code from} on), reopens it and
   * checks recovery against a model of the frames; returns how many records were recovered.
   */
  private static long crashAndRecover(
      Path dir, WalConfig config, List<Append> appends, Path target, long from, Damage damage)
      throws IOException {
    Files.deleteIfExists(dir.resolve("CLEAN"));
    for (Path segment : segmentFiles(dir)) {
      if (baseOf(segment) > baseOf(target)) {
        Files.delete(segment);
      }
    }
    long base = baseOf(target);
    List<Long> ends = frameEnds(target);
    Crashed crashed = crash(target, from, damage, ends);
    int kept = (int) ends.stream().filter(end -> end <= crashed.firstBadByte()).count();
    long boundary = kept == 0 ? HEADER : ends.get(kept - 1);
    // Zeros at the very end cannot be told from space the writer preallocated and never used:
    // the report counts the cut up to the last non-zero byte.
    byte[] tail =
        Arrays.copyOfRange(Files.readAllBytes(target), (int) boundary, (int) crashed.size());
    int meaningful = tail.length;
    while (meaningful > 0 && tail[meaningful - 1] == 0) {
      meaningful--;
    }
    long cut = meaningful;
    byte[] cutBytes = Arrays.copyOf(tail, meaningful);
    long expectedEnd = base + kept;

    List<WalEvent> events = new CopyOnWriteArrayList<>();
    byte[] next = "after-recovery".getBytes(StandardCharsets.UTF_8);
    try (SegmentedWal wal = open(dir, config, events::add)) {
      RecoveryReport report = wal.recoveryReport();
      String context = "after " + crashed + " of " + target.getFileName() + ": " + report;
      assertThat(report.cleanShutdown()).as(context).isFalse();
      assertThat(report.endOffset()).as(context).isEqualTo(expectedEnd);
      assertThat(report.recordsScanned()).as(context).isEqualTo(kept);
      assertThat(report.bytesTruncated()).as(context).isEqualTo(cut);
      assertThat(report.truncations()).as(context).hasSize(cut > 0 ? 1 : 0);
      assertThat(Files.size(target)).as(context).isEqualTo(boundary);
      List<byte[]> evidence = quarantined(dir);
      assertThat(evidence).as(context).hasSize(cut > 0 ? 1 : 0);
      if (cut > 0) {
        assertThat(evidence.get(0)).as("quarantined tail, " + context).isEqualTo(cutBytes);
      }
      assertThat(events).containsExactly(new WalEvent.Recovered(report));
      assertPrefix(readAll(wal, "check"), appends, expectedEnd);

      assertThat(await(accepted(wal.append(RecordTypes.GATEWAY_EVENT, next))))
          .as("offset of the first append after recovery")
          .isEqualTo(expectedEnd);
    }
    List<Append> expected = new ArrayList<>(appends.subList(0, (int) expectedEnd));
    expected.add(new Append(RecordTypes.GATEWAY_EVENT, next));
    try (SegmentedWal wal = open(dir, config, WalListener.NONE)) {
      RecoveryReport report = wal.recoveryReport();
      assertThat(report.cleanShutdown()).isTrue();
      assertThat(report.bytesTruncated()).isZero();
      assertThat(report.endOffset()).isEqualTo(expectedEnd + 1);
      assertPrefix(readAll(wal, "check"), expected, expectedEnd + 1);
    }
    return expectedEnd;
  }

  private static SegmentedWal open(Path dir, WalConfig config, WalListener listener) {
    return SegmentedWal.open(dir, config, Clock.systemUTC(), listener);
  }

  private static List<CompletableFuture<Long>> appendAll(SegmentedWal wal, List<Append> appends) {
    List<CompletableFuture<Long>> futures = new ArrayList<>();
    for (Append a : appends) {
      futures.add(accepted(wal.append(a.type(), a.body())));
    }
    return futures;
  }

  /** Checks that {@code read} is the first {@code count} appends, at offsets 0, 1, 2, … */
  private static void assertPrefix(List<WalRecord> read, List<Append> appended, long count) {
    assertThat(read).hasSize((int) count);
    for (int i = 0; i < count; i++) {
      WalRecord record = read.get(i);
      Append append = appended.get(i);
      assertThat(record.offset()).isEqualTo(i);
      assertThat(record.type()).as("type at offset %d", i).isEqualTo(append.type());
      assertThat(record.body()).as("body at offset %d", i).isEqualTo(append.body());
    }
  }

  /**
   * The byte positions at which the frames of an intact segment end, read with an independent
   * parser that also checks each frame carries the next offset.
   */
  private static List<Long> frameEnds(Path segment) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
    long base = baseOf(segment);
    List<Long> ends = new ArrayList<>();
    int position = HEADER;
    while (position < bytes.limit()) {
      assertThat(bytes.getLong(position + 9))
          .as("offset in the frame at byte %d of %s", position, segment)
          .isEqualTo(base + ends.size());
      position += FrameCodec.HEADER_BYTES + bytes.getInt(position);
      ends.add((long) position);
    }
    assertThat(position).as("frames fill %s exactly", segment).isEqualTo(bytes.limit());
    return ends;
  }

  /** Applies the damage to {@code segment} at or after byte {@code from}. */
  private static Crashed crash(Path segment, long from, Damage damage, List<Long> ends)
      throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    long size = bytes.length;
    if (damage instanceof Cut cut) {
      long picked = pick(from, size, cut.where(), cut.snap(), ends) + cut.shift();
      long at = Math.max(from, Math.min(size, picked));
      try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        channel.truncate(at);
      }
      return new Crashed(at, at);
    }
    Scribble scribble = (Scribble) damage;
    long start = pick(from, size, scribble.where(), scribble.snap(), ends);
    if (start >= size) {
      return new Crashed(size, size);
    }
    byte[] damaged = bytes.clone();
    for (Hit hit : scribble.hits()) {
      int at = (int) (start + hit.at() % (size - start));
      byte flipMask = hit.value() == 0 ? 1 : hit.value();
      damaged[at] = hit.flip() ? (byte) (damaged[at] ^ flipMask) : hit.value();
    }
    long first = size;
    for (int i = (int) start; i < size; i++) {
      if (damaged[i] != bytes[i]) {
        first = i;
        break;
      }
    }
    Files.write(segment, damaged);
    return new Crashed(size, first);
  }

  /** A point in {@code [from, size]}, moved up to the next frame boundary if {@code snap}. */
  private static long pick(long from, long size, int where, boolean snap, List<Long> ends) {
    long at = from + (size - from) * where / PER_MILLION;
    if (!snap || at == HEADER) {
      return at;
    }
    return ends.stream().filter(end -> end >= at).findFirst().orElse(size);
  }

  /** The contents of every file in the quarantine directory. */
  private static List<byte[]> quarantined(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("quarantine"))) {
      List<byte[]> contents = new ArrayList<>();
      for (Path file : files.toList()) {
        contents.add(Files.readAllBytes(file));
      }
      return contents;
    }
  }
}
