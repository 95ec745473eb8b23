package io.auditgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** Figures of a running process read from Linux's {@code /proc}: CPU time, RSS, open-file limit. */
public final class ProcStats {
  /** Clock ticks per second of {@code /proc/PID/stat}; 100 on every Linux this runs on. */
  private static final long TICKS_PER_SECOND = 100;

  private ProcStats() {}

  /** User plus system CPU time of process {@code pid}, in nanoseconds. */
  public static long cpuNanos(long pid) {
    String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name may hold spaces and parentheses; the fields start after the last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * (1_000_000_000L / TICKS_PER_SECOND);
  }

  /** Resident set size of process {@code pid} ({@code VmRSS}), in bytes. */
  public static long rssBytes(long pid) {
    return statusKib(pid, "VmRSS:") * 1024;
  }

  /** The soft limit on open files of process {@code pid}, if it has one. */
  public static OptionalLong openFileLimit(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "limits")).split("\n")) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited")
            ? OptionalLong.of(Long.MAX_VALUE)
            : OptionalLong.of(Long.parseLong(soft));
      }
    }
    return OptionalLong.empty();
  }

  /** The hard limit on open files of process {@code pid}: how far its soft limit may be raised. */
  public static OptionalLong openFileHardLimit(long pid) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "limits")).split("\n")) {
      if (line.startsWith("Max open files")) {
        String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
        return hard.equals("unlimited")
            ? OptionalLong.of(Long.MAX_VALUE)
            : OptionalLong.of(Long.parseLong(hard));
      }
    }
    return OptionalLong.empty();
  }

  /**
   * The whole machine's CPU ticks from {@code /proc/stat}: {@code [busy, total]}, busy being
   * everything but idle and iowait.
   */
  public static long[] machineTicks() {
    String first = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
    String[] f = first.trim().split("\\s+");
    long total = 0;
    for (int i = 1; i < f.length && i <= 8; i++) {
      total += Long.parseLong(f[i]);
    }
    long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
    return new long[] {total - idle, total};
  }

  /** This JVM's process id. */
  public static long self() {
    return ProcessHandle.current().pid();
  }

  private static long statusKib(long pid, String key) {
    for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalStateException("no " + key + " in /proc/" + pid + "/status");
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file, e);
    }
  }
}
