package io.auditgate.wal;

import static io.auditgate.wal.FaultFixtures.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM ({@link CrashChild}) appends to the log from several threads and is
 * killed with SIGKILL ({@link Process#destroyForcibly()}) at a random moment, three times on the
 * same directory. Every record the child was told was durable must then be in the log, in order,
 * intact, at offsets contiguous from 0.
 *
 * <p>SIGKILL keeps the page cache, so this proves the process-crash half of the guarantee
 * (recovery, torn tails, offsets continuing across restarts), not power loss.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class KillDashNineTest {
  private static final int RUNS = 3;
  private static final int PRODUCERS = 6;
  private static final long STARTUP_MILLIS = 4_000;
  private static final Pattern HEAD = Pattern.compile("r(\\d+)-p(\\d+)-s(\\d+):");

  @TempDir Path tmp;

  /** One line of the side channel. */
  record Ack(int run, long offset, String sha256) {}

  @Test
  void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Path dir = tmp.resolve("wal");
    Path sideChannel = tmp.resolve("acks.txt");
    List<String> kills = new ArrayList<>();
    for (int run = 1; run <= RUNS; run++) {
      Path output = tmp.resolve("child-" + run + ".out");
      Process child = start(dir, sideChannel, run, output);
      try {
        awaitFirstAck(child, sideChannel, run, output);
        long delay = 300 + random.nextInt(1201);
        Thread.sleep(delay);
        assertThat(child.isAlive())
            .as("child %d still appending when killed; its output:%n%s", run, read(output))
            .isTrue();
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        kills.add("run " + run + " opened " + openedWith(output) + ", killed " + delay + " ms in");
      } finally {
        if (child.isAlive()) {
          child.destroyForcibly();
          child.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
    String context = "seed " + seed + ", " + kills;

    List<Ack> acks = readAcks(sideChannel);
    Map<Long, Ack> byOffset = new HashMap<>();
    for (Ack ack : acks) {
      assertThat(byOffset.put(ack.offset(), ack))
          .as("offset %d acknowledged twice (%s)", ack.offset(), context)
          .isNull();
    }
    for (int run = 1; run <= RUNS; run++) {
      int r = run;
      assertThat(acks).as("acks of run %d", run).anyMatch(a -> a.run() == r);
    }

    try (SegmentedWal wal =
        SegmentedWal.open(dir, CrashChild.CONFIG, Clock.systemUTC(), WalListener.NONE)) {
      assertThat(wal.recoveryReport().cleanShutdown()).isFalse();
      List<WalRecord> records = readAll(wal, "verify");
      System.out.printf(
          "KillDashNineTest: %s; %d acknowledged, %d recovered%n",
          context, acks.size(), records.size());
      for (int i = 0; i < records.size(); i++) {
        assertThat(records.get(i).offset()).as("offsets contiguous from 0").isEqualTo(i);
      }
      // Each producer waits for every append before the next, so its records are in the log in
      // sequence order with no gap, and each run's records follow the previous run's.
      Map<String, Long> nextSeq = new HashMap<>();
      int lastRun = 0;
      for (WalRecord record : records) {
        Matcher head = HEAD.matcher(new String(record.body(), StandardCharsets.ISO_8859_1));
        assertThat(head.lookingAt()).as("record %d comes from a child", record.offset()).isTrue();
        int run = Integer.parseInt(head.group(1));
        assertThat(run).as("run of record %d", record.offset()).isGreaterThanOrEqualTo(lastRun);
        lastRun = run;
        String producer = head.group(1) + "/" + head.group(2);
        long seq = Long.parseLong(head.group(3));
        assertThat(seq)
            .as("sequence of producer %s at offset %d", producer, record.offset())
            .isEqualTo(nextSeq.getOrDefault(producer, 0L));
        nextSeq.put(producer, seq + 1);
      }
      for (Ack ack : acks) {
        assertThat(ack.offset())
            .as(
                "acknowledged offset %d of run %d is in the log (%s)",
                ack.offset(), ack.run(), context)
            .isLessThan(records.size());
        byte[] body = records.get(Math.toIntExact(ack.offset())).body();
        assertThat(CrashChild.sha256(body))
            .as("digest of acknowledged record %d (%s)", ack.offset(), context)
            .isEqualTo(ack.sha256());
        assertThat(new String(body, StandardCharsets.ISO_8859_1))
            .startsWith("r" + ack.run() + "-p");
      }
    }
  }

  private static Process start(Path dir, Path sideChannel, int run, Path output)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    return new ProcessBuilder(
            java,
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            classpath,
            CrashChild.class.getName(),
            dir.toString(),
            sideChannel.toString(),
            Integer.toString(run),
            Integer.toString(PRODUCERS))
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  /** Polls the side channel until this run has acknowledged something. */
  private static void awaitFirstAck(Process child, Path sideChannel, int run, Path output)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STARTUP_MILLIS);
    while (System.nanoTime() < deadline) {
      if (Files.exists(sideChannel)
          && readAcks(sideChannel).stream().anyMatch(a -> a.run() == run)) {
        return;
      }
      assertThat(child.isAlive())
          .as("child %d exited early; its output:%n%s", run, read(output))
          .isTrue();
      Thread.sleep(20);
    }
    throw new AssertionError(
        "child "
            + run
            + " acknowledged nothing within "
            + STARTUP_MILLIS
            + " ms; its output:\n"
            + read(output));
  }

  /** Complete lines only: a line is written with one write(2) after its future completed. */
  private static List<Ack> readAcks(Path sideChannel) throws IOException {
    String text = Files.readString(sideChannel, StandardCharsets.UTF_8);
    List<Ack> acks = new ArrayList<>();
    int start = 0;
    for (int end; (end = text.indexOf('\n', start)) >= 0; start = end + 1) {
      String[] fields = text.substring(start, end).split(" ");
      assertThat(fields).as("side-channel line %s", text.substring(start, end)).hasSize(3);
      acks.add(new Ack(Integer.parseInt(fields[0]), Long.parseLong(fields[1]), fields[2]));
    }
    return acks;
  }

  /** The recovery report the child printed when it opened the log. */
  private static String openedWith(Path output) throws IOException {
    return read(output)
        .lines()
        .filter(line -> line.startsWith("opened: "))
        .map(line -> line.substring("opened: ".length()))
        .findFirst()
        .orElse("?");
  }

  private static String read(Path output) throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }
}
