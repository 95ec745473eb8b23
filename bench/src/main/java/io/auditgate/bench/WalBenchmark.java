package io.auditgate.bench;

import io.auditgate.bench.Contender.CommitCounters;
import io.auditgate.bench.WalBenchResult.Cell;
import io.auditgate.bench.WalBenchResult.Figures;
import io.auditgate.bench.WalBenchResult.Machine;
import io.auditgate.core.Directories;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code auditgate bench wal}: durable appends per second and append latency of auditgate's WAL
 * next to SQLite (per-message commits, as the seed did, and with group commit) and the raw
 * write-and-force limit of the disk.
 *
 * <p>For each record size and producer count (a cell) every contender runs in turn, back to back so
 * machine noise hits them alike. A cell longer than {@link #ROUND} is cut into rounds of about that
 * length, and the contenders are interleaved round by round (ABCD BCDA CDAB ...), because the
 * latency of a virtual disk drifts over seconds: one contender must not get all of a slow spell.
 * Each run gets a fresh directory under the same base directory (so the same filesystem), {@code
 * producers} threads in a closed loop (append, wait until durable, append again), a warm-up (the
 * full one in a contender's first round of a cell, {@link #LATER_WARMUP} after), then a measurement
 * window. An append counts when its acknowledgement arrives inside the window; its latency is the
 * time from the call to the acknowledgement, kept exactly per append so the percentiles are exact.
 * A contender's rounds are pooled. Every directory is deleted afterwards.
 */
public final class WalBenchmark {
  private static final Duration STRAGGLER_TIMEOUT = Duration.ofSeconds(60);

  private WalBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param progress receives one human-readable line per cell (for standard error)
   * @throws UncheckedIOException if the benchmark's directories cannot be made or removed
   * @throws IllegalStateException if a contender cannot be opened or its producers hang
   */
  public static WalBenchResult run(WalBenchOptions options, PrintStream progress) {
    Instant startedAt = Instant.now();
    long started = System.nanoTime();
    Path root = createRunDirectory(options.baseDir(), "auditgate-bench-wal-");
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    try {
      String filesystem = filesystem(root)[0];
      Map<String, String> described = new LinkedHashMap<>();
      for (ContenderKind kind : ContenderKind.values()) {
        described.put(kind.jsonName(), kind.description());
      }
      progress.printf(
          Locale.ROOT,
          "auditgate bench wal: %d cells x %d contenders, %d ms warm-up + %d ms each, in %s (%s)%n",
          options.recordSizes().size() * options.producerCounts().size(),
          ContenderKind.values().length,
          options.warmup().toMillis(),
          options.cellDuration().toMillis(),
          root,
          filesystem);
      List<Cell> cells = new ArrayList<>();
      int index = 0;
      for (int size : options.recordSizes()) {
        for (int producers : options.producerCounts()) {
          Cell cell = runCell(root, size, producers, options, index++);
          cells.add(cell);
          progress.println(cell.summary());
        }
      }
      return new WalBenchResult(
          startedAt,
          Duration.ofNanos(System.nanoTime() - started),
          machine(options.baseDir(), root, loadAtStart),
          options,
          described,
          Sqlite.version(),
          cells,
          WalBenchResult.evaluateTargets(cells));
    } finally {
      Directories.deleteTree(root);
    }
  }

  /** Seconds of measurement per round: longer cells are cut into interleaved rounds. */
  static final Duration ROUND = Duration.ofSeconds(1);

  /** At most this many rounds per cell. */
  static final int MAX_ROUNDS = 5;

  /** Warm-up of every round after a contender's first in a cell: the JIT is warm by then. */
  static final Duration LATER_WARMUP = Duration.ofMillis(250);

  /** Rounds a cell of {@code cellDuration} is measured in. */
  static int rounds(Duration cellDuration) {
    long n = cellDuration.toMillis() / ROUND.toMillis();
    return (int) Math.max(1, Math.min(MAX_ROUNDS, n));
  }

  private static Cell runCell(
      Path root, int size, int producers, WalBenchOptions options, int index) {
    ContenderKind[] kinds = ContenderKind.values();
    int rounds = rounds(options.cellDuration());
    Duration slice = options.cellDuration().dividedBy(rounds);
    Map<ContenderKind, List<Run>> runs = new LinkedHashMap<>();
    for (int round = 0; round < rounds; round++) {
      Duration warmup =
          round == 0 || options.warmup().compareTo(LATER_WARMUP) < 0
              ? options.warmup()
              : LATER_WARMUP;
      for (int i = 0; i < kinds.length; i++) {
        ContenderKind kind = kinds[(index + round + i) % kinds.length];
        Path dir = root.resolve(kind.jsonName() + "-" + size + "b-" + producers + "p-" + round);
        Run run = runOne(kind.create(), dir, size, producers, warmup, slice);
        runs.computeIfAbsent(kind, k -> new ArrayList<>()).add(run);
      }
    }
    List<Figures> ordered = new ArrayList<>();
    for (ContenderKind kind : kinds) {
      ordered.add(figures(kind.jsonName(), runs.get(kind)));
    }
    return new Cell(size, producers, ordered);
  }

  /**
   * What one contender did in one round of a cell.
   *
   * @param latencies nanoseconds per append acknowledged in the window, unsorted
   * @param windowNanos length of the measurement window
   * @param cpuNanos CPU time the whole process used during the window (all threads, user + system)
   * @param inWindow records and commits made during the window
   * @param total records and commits from open to close
   */
  record Run(
      long[] latencies,
      long windowNanos,
      long cpuNanos,
      CommitCounters inWindow,
      CommitCounters total,
      long diskBytes,
      long errors,
      String firstError) {}

  /** One contender in one round: open, warm up, measure, close, weigh its files, delete them. */
  static Run runOne(
      Contender contender,
      Path dir,
      int size,
      int producerCount,
      Duration warmup,
      Duration window) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.gc();
    try {
      contender.open(dir);
    } catch (Exception e) {
      throw new IllegalStateException(
          "cannot open " + contender.name() + " in " + dir + ": " + e, e);
    }
    Producer[] producers = new Producer[producerCount];
    CommitCounters before;
    CommitCounters after;
    CommitCounters total;
    long windowStart;
    long windowEnd;
    long cpuBefore;
    long cpuNanos;
    try {
      CountDownLatch go = new CountDownLatch(1);
      Schedule schedule = new Schedule();
      for (int i = 0; i < producerCount; i++) {
        producers[i] = new Producer(contender, body(size, i), schedule, go);
        Thread thread = new Thread(producers[i], contender.name() + "-producer-" + i);
        thread.setDaemon(true);
        producers[i].thread = thread;
        thread.start();
      }
      long now = System.nanoTime();
      schedule.windowStart = windowStart = now + warmup.toNanos();
      schedule.windowEnd = windowEnd = windowStart + window.toNanos();
      go.countDown();
      sleepUntil(windowStart);
      before = contender.counters();
      cpuBefore = processCpuNanos();
      sleepUntil(windowEnd);
      after = contender.counters();
      cpuNanos = processCpuNanos() - cpuBefore;
      long deadline = System.nanoTime() + STRAGGLER_TIMEOUT.toNanos();
      for (Producer p : producers) {
        long wait = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        p.thread.join(wait);
        if (p.thread.isAlive()) {
          throw new IllegalStateException(
              contender.name()
                  + ": a producer is still waiting "
                  + STRAGGLER_TIMEOUT
                  + " after the window closed");
        }
      }
      total = contender.counters();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while benchmarking " + contender.name(), e);
    } finally {
      try {
        contender.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close " + contender.name() + ": " + e, e);
      }
    }
    long diskBytes = Contender.bytesOnDisk(dir);
    Directories.deleteTree(dir);

    int n = 0;
    long errors = 0;
    String firstError = "";
    for (Producer p : producers) {
      n += p.samples;
      if (p.error != null) {
        errors++;
        if (firstError.isEmpty()) {
          firstError = p.error.toString();
        }
      }
    }
    long[] latencies = new long[n];
    int at = 0;
    for (Producer p : producers) {
      System.arraycopy(p.latencies, 0, latencies, at, p.samples);
      at += p.samples;
    }
    return new Run(
        latencies,
        windowEnd - windowStart,
        cpuNanos,
        after.minus(before),
        total,
        diskBytes,
        errors,
        firstError);
  }

  /** Pools a contender's rounds in a cell: appends over time measured, latencies together. */
  static Figures figures(String name, List<Run> runs) {
    long windowNanos = 0;
    long cpuNanos = 0;
    long records = 0;
    long commits = 0;
    long totalRecords = 0;
    long diskBytes = 0;
    long errors = 0;
    String firstError = "";
    int n = 0;
    for (Run run : runs) {
      n += run.latencies().length;
      windowNanos += run.windowNanos();
      cpuNanos += run.cpuNanos();
      records += run.inWindow().records();
      commits += run.inWindow().commits();
      totalRecords += run.total().records();
      diskBytes += run.diskBytes();
      errors += run.errors();
      if (firstError.isEmpty()) {
        firstError = run.firstError();
      }
    }
    long[] all = new long[n];
    int at = 0;
    double sum = 0;
    for (Run run : runs) {
      System.arraycopy(run.latencies(), 0, all, at, run.latencies().length);
      at += run.latencies().length;
    }
    Arrays.sort(all);
    for (long v : all) {
      sum += v;
    }
    double seconds = windowNanos / 1e9;
    return new Figures(
        name,
        n,
        seconds,
        n / seconds,
        quantileMicros(all, 0.50),
        quantileMicros(all, 0.99),
        n == 0 ? 0 : sum / n / 1000,
        n == 0 ? 0 : all[n - 1] / 1000.0,
        n == 0 || cpuNanos < 0 ? 0 : cpuNanos / 1000.0 / n,
        commits / seconds,
        commits == 0 ? 0 : (double) records / commits,
        totalRecords,
        diskBytes,
        errors,
        firstError);
  }

  /** Nearest-rank quantile of sorted nanosecond samples, in microseconds. */
  static double quantileMicros(long[] sorted, double q) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, rank - 1)] / 1000.0;
  }

  /** Incompressible, different for each producer, the same for every contender. */
  private static byte[] body(int size, int producer) {
    byte[] body = new byte[size];
    SplittableRandom random = new SplittableRandom(0x5eed + producer);
    for (int i = 0; i < size; i++) {
      body[i] = (byte) random.nextInt(256);
    }
    return body;
  }

  /** When the measurement window opens and closes; published to producers by the start latch. */
  private static final class Schedule {
    long windowStart;
    long windowEnd;
  }

  /** A closed-loop producer: append, wait until durable, record, repeat until the window ends. */
  private static final class Producer implements Runnable {
    private final Contender contender;
    private final byte[] body;
    private final Schedule schedule;
    private final CountDownLatch go;
    private long[] latencies = new long[1024];
    private int samples;
    private Exception error;
    private Thread thread;

    Producer(Contender contender, byte[] body, Schedule schedule, CountDownLatch go) {
      this.contender = contender;
      this.body = body;
      this.schedule = schedule;
      this.go = go;
    }

    @Override
    public void run() {
      try {
        go.await();
      } catch (InterruptedException e) {
        return;
      }
      long windowStart = schedule.windowStart;
      long windowEnd = schedule.windowEnd;
      while (true) {
        long start = System.nanoTime();
        if (start >= windowEnd) {
          return;
        }
        try {
          contender.appendDurably(body);
        } catch (Exception e) {
          error = e;
          return;
        }
        long done = System.nanoTime();
        if (done >= windowStart && done < windowEnd) {
          if (samples == latencies.length) {
            latencies = Arrays.copyOf(latencies, samples * 2);
          }
          latencies[samples++] = done - start;
        }
      }
    }
  }

  /** CPU time of the whole process so far, or a negative number where the JVM cannot tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }

  /** Type and name of the filesystem holding {@code dir}, or "unknown". */
  private static String[] filesystem(Path dir) {
    try {
      FileStore fileStore = Files.getFileStore(dir);
      return new String[] {fileStore.type(), fileStore.name()};
    } catch (IOException e) {
      return new String[] {"unknown", "unknown"};
    }
  }

  private static Machine machine(Path baseDir, Path root, double loadAtStart) {
    String[] filesystem = filesystem(root);
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        baseDir.toAbsolutePath().toString(),
        filesystem[0],
        filesystem[1],
        loadAtStart,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /** A new directory for one benchmark run under {@code base} (created if missing). */
  public static Path createRunDirectory(Path base, String prefix) {
    try {
      Files.createDirectories(base);
      return Files.createTempDirectory(base, prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory in " + base, e);
    }
  }
}
