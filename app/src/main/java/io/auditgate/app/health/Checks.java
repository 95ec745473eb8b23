package io.auditgate.app.health;

import io.auditgate.core.config.HealthConfig;
import io.auditgate.core.ops.CheckResult;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.pipeline.SinkMetrics;
import io.auditgate.pipeline.SinkState;
import io.auditgate.store.StoreConsumerMetrics;
import io.auditgate.wal.SegmentedWal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The readiness checks, each built from the state its component keeps up to date: none connects,
 * reads a file or waits at probe time, so every check is cheap and thread-safe (as {@link
 * HealthCheck} requires). The names are the keys of the {@code /readyz} report.
 */
public final class Checks {
  /**
   * The size a readiness probe asks the log about: a typical telemetry envelope with room to spare,
   * so "full" is reported slightly before the last small message would be refused.
   */
  static final int PROBE_RECORD_BYTES = 1024;

  private Checks() {}

  /** {@code draining}: fails once the gateway began to drain for shutdown (SIGTERM). */
  public static HealthCheck draining(BooleanSupplier draining) {
    return HealthCheck.of(
        "draining",
        () ->
            draining.getAsBoolean()
                ? CheckResult.failed("draining: the gateway is shutting down")
                : CheckResult.ok("not draining"));
  }

  /** {@code wal_writable}: the log is open, not failed, and not full (nor too old). */
  public static HealthCheck walWritable(SegmentedWal wal) {
    return HealthCheck.of(
        "wal_writable",
        () -> {
          Optional<AppendOutcome.Refused> refusal = wal.wouldRefuse(PROBE_RECORD_BYTES);
          if (refusal.isEmpty()) {
            return CheckResult.ok("write-ahead log accepts records");
          }
          AppendOutcome.Refused r = refusal.get();
          String hint =
              switch (r.reason()) {
                case FAILED -> "; restart the gateway";
                case FULL, TOO_OLD -> "; the sinks are behind, see the sink checks";
                default -> "";
              };
          return CheckResult.failed(
              r.reason().name().toLowerCase(java.util.Locale.ROOT) + ": " + r.message() + hint);
        });
  }

  /**
   * {@code disk_space}: the data directory's file system has at least {@code min_free_disk} free,
   * or {@code min_free_disk_percent} of its size, whichever is smaller.
   */
  public static HealthCheck diskSpace(DiskSpace disk, HealthConfig config) {
    return HealthCheck.of(
        "disk_space",
        () -> {
          Optional<DiskSpace.Usage> usage = disk.usage();
          if (usage.isEmpty()) {
            return CheckResult.failed("cannot read the file system of " + disk.dir());
          }
          long free = usage.get().freeBytes();
          long total = usage.get().totalBytes();
          long minimum =
              Math.min(config.minFreeDisk().bytes(), total / 100 * config.minFreeDiskPercent());
          String figures =
              free / (1024 * 1024)
                  + " MiB free of "
                  + total / (1024 * 1024)
                  + " MiB on "
                  + disk.dir()
                  + " (minimum "
                  + minimum / (1024 * 1024)
                  + " MiB)";
          return free >= minimum ? CheckResult.ok(figures) : CheckResult.failed(figures);
        });
  }

  /** {@code listeners_bound}: every listener given is bound and accepting. */
  public static HealthCheck listenersBound(Map<String, BooleanSupplier> listeners) {
    Map<String, BooleanSupplier> copy = Map.copyOf(listeners);
    return HealthCheck.of(
        "listeners_bound",
        () -> {
          List<String> down = new ArrayList<>();
          copy.forEach(
              (name, listening) -> {
                if (!listening.getAsBoolean()) {
                  down.add(name);
                }
              });
          down.sort(null);
          return down.isEmpty()
              ? CheckResult.ok(
                  "listening: " + String.join(", ", copy.keySet().stream().sorted().toList()))
              : CheckResult.failed("not listening: " + String.join(", ", down));
        });
  }

  /**
   * {@code sinks_reachable}: no sink has been interrupted for longer than {@code
   * health.sink_interrupted_after}. Judged from the dispatcher's state (its last attempt's
   * outcome), never by connecting.
   */
  public static HealthCheck sinksReachable(
      Supplier<Map<String, SinkMetrics>> sinks, Duration interruptedAfter, Clock clock) {
    return HealthCheck.of(
        "sinks_reachable",
        () -> {
          Map<String, SinkMetrics> all = sinks.get();
          if (all.isEmpty()) {
            return CheckResult.ok("no sink configured");
          }
          List<String> failing = new ArrayList<>();
          List<String> fine = new ArrayList<>();
          for (SinkMetrics s : all.values()) {
            if (s.state() instanceof SinkState.Interrupted i) {
              Duration out = Duration.between(i.since(), clock.instant());
              String line = s.sink() + " interrupted for " + out.toSeconds() + " s: " + i.reason();
              if (out.compareTo(interruptedAfter) > 0) {
                failing.add(line);
              } else {
                fine.add(line + " (within " + interruptedAfter.toSeconds() + " s)");
              }
            } else {
              fine.add(s.sink() + " delivering, backlog " + s.backlogRecords());
            }
          }
          return failing.isEmpty()
              ? CheckResult.ok(String.join("; ", fine))
              : CheckResult.failed(String.join("; ", failing));
        });
  }

  /**
   * {@code store_reachable}: the store consumer's thread runs and its batches have not been failing
   * for longer than {@code failingAfter}.
   */
  public static HealthCheck storeReachable(
      Supplier<StoreConsumerMetrics> consumer, Duration failingAfter) {
    return HealthCheck.of(
        "store_reachable",
        () -> {
          StoreConsumerMetrics m = consumer.get();
          if (!m.alive()) {
            return CheckResult.failed("the store consumer is not running");
          }
          if (m.failingFor().compareTo(failingAfter) > 0) {
            return CheckResult.failed(
                "batches failing for "
                    + m.failingFor().toSeconds()
                    + " s: "
                    + m.lastError().orElse("unknown"));
          }
          return CheckResult.ok(
              "storing; lag "
                  + (m.lag().isPresent() ? Long.toString(m.lag().getAsLong()) : "unknown"));
        });
  }

  /**
   * The first failing check's name and detail, for the HTTP ingest's {@code /readyz}, which reports
   * one reason; empty when all pass. A check that throws counts as failed.
   */
  public static Optional<String> firstFailure(List<HealthCheck> checks) {
    for (HealthCheck c : checks) {
      CheckResult r = run(c);
      if (!r.ok()) {
        return Optional.of(c.name() + ": " + r.detail());
      }
    }
    return Optional.empty();
  }

  /** Runs one check; an exception counts as failed, as the contract says. */
  public static CheckResult run(HealthCheck check) {
    try {
      return Objects.requireNonNull(check.check(), "check returned null");
    } catch (RuntimeException e) {
      return CheckResult.failed("check failed: " + e);
    }
  }
}
