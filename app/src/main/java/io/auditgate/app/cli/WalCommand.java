package io.auditgate.app.cli;

import io.auditgate.core.wal.DeadLetter;
import io.auditgate.core.wal.LossRange;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.WalInspector;
import io.auditgate.wal.WalInspector.Inspection;
import io.auditgate.wal.WalInspector.Problem;
import io.auditgate.wal.WalInspector.SegmentInfo;
import java.io.PrintWriter;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auditgate wal …}: look into a write-ahead log, or send it again, without changing it. */
@Command(
    name = "wal",
    mixinStandardHelpOptions = true,
    description = {
      "Inspect, verify, dump and replay a write-ahead log directory (for example data/wal).",
      "These tools only read: they never cut a torn tail or move a cursor, so inspect, verify and",
      "dump are safe on the log of a running or crashed gateway."
    },
    subcommands = {
      WalCommand.Inspect.class,
      WalCommand.Verify.class,
      WalCommand.Dump.class,
      WalReplay.class
    })
public final class WalCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "inspect",
      mixinStandardHelpOptions = true,
      description = "Summarise segments, cursors, dead letters and losses.")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The write-ahead log directory.")
    Path dir;

    @Override
    public Integer call() {
      Inspection in = new WalInspector(dir).inspect();
      PrintWriter out = spec.commandLine().getOut();
      out.printf("write-ahead log %s%n", in.dir());
      out.printf(
          "  records     %d (offsets %d..%d)%n",
          in.endOffset() - in.startOffset(), in.startOffset(), in.endOffset() - 1);
      out.printf("  bytes       %d in %d segment(s)%n", in.totalBytes(), in.segments().size());
      out.printf(
          "  shutdown    %s%n",
          in.cleanShutdown() ? "clean" : "not clean (crashed, killed, or still running)");
      out.printf("  dead letters %d%n", in.deadLetters());
      out.println("segments:");
      for (SegmentInfo s : in.segments()) {
        out.printf(
            "  %s  offsets %d..%d  %d records  %d bytes%s  last write %s%n",
            s.name(),
            s.baseOffset(),
            s.baseOffset() + s.records() - 1,
            s.records(),
            s.sizeBytes(),
            s.active() ? "  (active)" : "",
            s.lastTimestampMillis() == 0 ? "-" : Instant.ofEpochMilli(s.lastTimestampMillis()));
      }
      out.println("cursors:");
      if (in.cursors().isEmpty()) {
        out.println("  (none: no sink has read this log yet; nothing is deleted until one has)");
      }
      in.cursors()
          .forEach(
              c ->
                  out.printf(
                      "  %-24s acked to %d, backlog %d records%n",
                      c.name(), c.ackedOffset(), c.backlogRecords()));
      if (!in.losses().isEmpty()) {
        out.println("losses:");
        for (LossRange l : in.losses()) {
          out.printf(
              "  %s for %s: offsets %d..%d (%d records): %s%n",
              l.kind(), l.cursor(), l.firstOffset(), l.endOffset() - 1, l.records(), l.detail());
        }
      }
      printProblems(out, in);
      return 0;
    }
  }

  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Check every frame's checksum and the segments' continuity.",
        "Exit 0 when intact (a torn tail left by a crash is only a warning: the next open cuts it),",
        "1 when durable data is damaged."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The write-ahead log directory.")
    Path dir;

    @Override
    public Integer call() {
      Inspection in = new WalInspector(dir).inspect();
      PrintWriter out = spec.commandLine().getOut();
      printProblems(out, in);
      long records = in.endOffset() - in.startOffset();
      out.printf(
          "%s: %d records in %d segment(s) checked, %s%n",
          in.hasErrors() ? "DAMAGED" : "OK",
          records,
          in.segments().size(),
          in.problems().isEmpty() ? "no problems" : in.problems().size() + " problem(s)");
      return in.hasErrors() ? 1 : 0;
    }
  }

  @Command(
      name = "dump",
      mixinStandardHelpOptions = true,
      description = "Print records (or dead letters), one per line.")
  static final class Dump implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The write-ahead log directory.")
    Path dir;

    @Option(
        names = "--from",
        paramLabel = "OFFSET",
        description = "First offset to print (default: the oldest held).")
    long from = 0;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "Print at most N records (default: ${DEFAULT-VALUE}).")
    long limit = 100;

    @Option(names = "--json", description = "One JSON object per line instead of text.")
    boolean json;

    @Option(
        names = "--dead-letters",
        description = "Print the dead-letter log instead of the records.")
    boolean deadLetters;

    @Override
    public Integer call() {
      if (limit < 0 || from < 0) {
        throw new IllegalArgumentException("--from and --limit must be >= 0");
      }
      PrintWriter out = spec.commandLine().getOut();
      WalInspector inspector = new WalInspector(dir);
      if (deadLetters) {
        inspector.deadLetters().stream().limit(limit).forEach(d -> out.println(format(d)));
        return 0;
      }
      long[] printed = {0};
      inspector.dump(
          from,
          record -> {
            if (printed[0] >= limit) {
              return false;
            }
            out.println(format(record));
            printed[0]++;
            return true;
          });
      out.flush();
      return 0;
    }

    private String format(WalRecord r) {
      String time = Instant.ofEpochMilli(r.timestampMillis()).toString();
      String body = bodyText(r.body());
      if (json) {
        return "{\"offset\":%d,\"type\":%d,\"written_at\":\"%s\",\"bytes\":%d,%s}"
            .formatted(r.offset(), r.type(), time, r.body().length, jsonBody(r.body()));
      }
      return "%d\t%d\t%s\t%s".formatted(r.offset(), r.type(), time, body);
    }

    private String format(DeadLetter d) {
      String time = Instant.ofEpochMilli(d.deadAtMillis()).toString();
      if (json) {
        return "{\"sequence\":%d,\"source\":%s,\"wal_offset\":%d,\"reason\":%s,\"detail\":%s,\"dead_at\":\"%s\",%s}"
            .formatted(
                d.sequence(),
                quote(d.source()),
                d.walOffset(),
                quote(d.reasonCode()),
                quote(d.detail()),
                time,
                jsonBody(d.body()));
      }
      return "%d\t%s\t%d\t%s\t%s\t%s\t%s"
          .formatted(
              d.sequence(),
              d.source(),
              d.walOffset(),
              d.reasonCode(),
              d.detail(),
              time,
              bodyText(d.body()));
    }
  }

  private static void printProblems(PrintWriter out, Inspection in) {
    for (Problem p : in.problems()) {
      out.printf("%s %s @%d: %s%n", p.severity(), p.file(), p.bytePosition(), p.message());
    }
  }

  /** UTF-8 text when the body is valid UTF-8 without control characters, else base64. */
  static String bodyText(byte[] body) {
    return utf8(body) != null ? utf8(body) : "base64:" + Base64.getEncoder().encodeToString(body);
  }

  static String jsonBody(byte[] body) {
    String text = utf8(body);
    return text != null
        ? "\"body\":" + quote(text)
        : "\"body_base64\":\"" + Base64.getEncoder().encodeToString(body) + "\"";
  }

  private static String utf8(byte[] body) {
    try {
      String text =
          StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
      return text.chars().anyMatch(c -> c < 0x20 && c != '\t') ? null : text;
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
