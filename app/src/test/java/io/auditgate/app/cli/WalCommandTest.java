package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.Main;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WalListener;
import io.auditgate.wal.SegmentedWal;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wal tools run as the real command line, against a real log on disk. */
class WalCommandTest {
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int code = Main.execute(args);
      return new Run(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  private void writeLog(int records) {
    WalConfig small =
        new WalConfig(
            DataSize.ofKibibytes(4),
            DataSize.ofBytes(1024),
            null,
            null,
            DataSize.ofMebibytes(1),
            null,
            null);
    try (SegmentedWal wal = SegmentedWal.open(dir, small, Clock.systemUTC(), WalListener.NONE)) {
      wal.cursor("kafka");
      for (int i = 0; i < records; i++) {
        var outcome =
            wal.append((byte) 1, ("{\"seq\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        ((AppendOutcome.Accepted) outcome).durable().join();
      }
      wal.deadLetter(
          "mqtt", "invalid_json", "expected an object", "{oops".getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void inspectSummarisesTheLog() {
    writeLog(300);
    Run r = run("wal", "inspect", dir.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .contains("records     300 (offsets 0..299)")
        .contains("shutdown    clean")
        .contains("kafka")
        .contains("backlog 300 records")
        .contains("dead letters 1");
  }

  @Test
  void dumpPrintsRecordsAndDeadLetters() {
    writeLog(20);
    Run text = run("wal", "dump", dir.toString(), "--from", "5", "--limit", "3");
    assertThat(text.exitCode()).isZero();
    assertThat(text.out().lines().toList()).hasSize(3);
    assertThat(text.out().lines().findFirst().orElseThrow())
        .startsWith("5\t1\t")
        .endsWith("{\"seq\":5}");
    Run json = run("wal", "dump", dir.toString(), "--json", "--limit", "1");
    assertThat(json.out().trim())
        .startsWith("{\"offset\":0,\"type\":1,")
        .endsWith("\"body\":\"{\\\"seq\\\":0}\"}");
    Run dead = run("wal", "dump", dir.toString(), "--dead-letters");
    assertThat(dead.out()).contains("mqtt\t-1\tinvalid_json\texpected an object");
  }

  @Test
  void verifyPassesAnIntactLogAndFailsADamagedOne() throws Exception {
    writeLog(300);
    Run ok = run("wal", "verify", dir.toString());
    assertThat(ok.exitCode()).isZero();
    assertThat(ok.out()).startsWith("OK: 300 records");

    Path firstSegment;
    try (Stream<Path> files = Files.list(dir)) {
      firstSegment =
          files.filter(p -> p.toString().endsWith(".seg")).sorted().findFirst().orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(firstSegment, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), 16 + 25 + 3); // a body byte of record 0
    }
    Run damaged = run("wal", "verify", dir.toString());
    assertThat(damaged.exitCode()).isEqualTo(1);
    assertThat(damaged.out())
        .contains("ERROR")
        .contains("offsets 0..0 unreadable")
        .contains("DAMAGED");
  }

  @Test
  void aTornTailIsAWarningNotDamage() throws Exception {
    writeLog(10);
    Path segment;
    try (Stream<Path> files = Files.list(dir)) {
      segment =
          files
              .filter(p -> p.toString().endsWith(".seg"))
              .sorted()
              .reduce((a, b) -> b)
              .orElseThrow();
    }
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 3);
    }
    Run r = run("wal", "verify", dir.toString());
    assertThat(r.exitCode()).isZero();
    assertThat(r.out()).contains("WARNING").contains("torn frame").contains("the next open cuts");
  }

  @Test
  void badUsageExitsTwoWithAReason() {
    Run missing = run("wal", "inspect", dir.resolve("nope").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("is not a directory");
    Run unknown = run("wal", "frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
  }
}
