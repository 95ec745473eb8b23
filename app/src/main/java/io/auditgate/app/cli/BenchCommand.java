package io.auditgate.app.cli;

import io.auditgate.app.bench.IngestBenchmark;
import io.auditgate.app.bench.PipelineBenchmark;
import io.auditgate.app.config.Durations;
import io.auditgate.bench.IngestBenchOptions;
import io.auditgate.bench.IngestBenchResult;
import io.auditgate.bench.StoreBenchOptions;
import io.auditgate.bench.StoreBenchResult;
import io.auditgate.bench.StoreBenchmark;
import io.auditgate.bench.WalBenchOptions;
import io.auditgate.bench.WalBenchResult;
import io.auditgate.bench.WalBenchmark;
import io.auditgate.bench.queries.QueryBenchOptions;
import io.auditgate.bench.queries.QueryBenchResult;
import io.auditgate.bench.queries.QueryBenchmark;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditgate bench …}: benchmarks run side by side with their competitors. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks that run auditgate and its competitors side by side in the same run and print one JSON object with the figures and the ratios.",
    subcommands = {
      BenchCommand.Wal.class,
      BenchCommand.Ingest.class,
      BenchCommand.Pipeline.class,
      BenchCommand.Store.class,
      BenchCommand.Queries.class,
      BenchCommand.Certs.class,
      BenchCommand.Crl.class
    })
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "wal",
      mixinStandardHelpOptions = true,
      description = {
        "Durable appends per second and latency (p50/p99) of the write-ahead log against SQLite"
            + " as the seed used it (one commit per message), SQLite with group commit, and the"
            + " physical limit (raw write + force), for 256 B and 1 KiB records with 1, 16 and 256"
            + " producers that each wait for durability. Progress on stderr, JSON on stdout.",
        "Exit 0 when every target is met, 1 otherwise."
      })
  static final class Wal implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "Short cells (about 30 s in all) for a smoke run.")
    boolean quick;

    @Option(
        names = "--cell",
        paramLabel = "DURATION",
        description = "Measured time per cell, e.g. 3s.")
    String cell;

    @Option(
        names = "--sizes",
        split = ",",
        paramLabel = "BYTES",
        description = "Record sizes (default 256,1024).")
    List<Integer> sizes;

    @Option(
        names = "--producers",
        split = ",",
        paramLabel = "N",
        description = "Producer counts (default 1,16,256).")
    List<Integer> producers;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Where the contenders write (default: the temp directory); use the disk the gateway will use.")
    Path dir;

    @Override
    public Integer call() {
      WalBenchOptions options = quick ? WalBenchOptions.quick() : WalBenchOptions.defaults();
      if (cell != null) {
        options = options.withCellDuration(Durations.parse(cell));
      }
      if (sizes != null) {
        options = options.withRecordSizes(sizes);
      }
      if (producers != null) {
        options = options.withProducerCounts(producers);
      }
      if (dir != null) {
        options = options.withBaseDir(dir);
      }
      PrintStream progress = System.err;
      WalBenchResult result = WalBenchmark.run(options, progress);
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
      return result.allTargetsMet() ? 0 : 1;
    }
  }

  @Command(
      name = "ingest",
      mixinStandardHelpOptions = true,
      description = {
        "QoS 1 throughput (acknowledged messages/s) and PUBACK latency (p50/p99) of the gateway,"
            + " its write-ahead log fsync'd before every PUBACK, against Mosquitto (Debian, default"
            + " persistence) under the same generator, both over mutual TLS, in interleaved rounds;"
            + " then heap and RSS per idle mutual-TLS connection. Progress on stderr, JSON on"
            + " stdout.",
        "Exit 0 when every target is met, 1 otherwise."
      })
  static final class Ingest implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--quick",
        description = "8 publishers, 2 rounds of 3 s, 1,000 idle connections (about 40 s).")
    boolean quick;

    @Option(
        names = "--clients",
        paramLabel = "N",
        description = "Publishing connections, each its own device (default 16).")
    Integer clients;

    @Option(
        names = "--window",
        paramLabel = "N",
        description = "QoS 1 publishes each connection keeps in flight (default 32).")
    Integer window;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        description = "Measured seconds per target per round (default 10).")
    Double seconds;

    @Option(names = "--rounds", paramLabel = "N", description = "Interleaved rounds (default 3).")
    Integer rounds;

    @Option(
        names = "--idle-connections",
        paramLabel = "C",
        description =
            "Idle mutual-TLS connections held against each target; 0 skips (default 10000).")
    Integer idleConnections;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "Where the gateway's log and Mosquitto's database go (default: the temp directory).")
    Path dir;

    @Override
    public Integer call() {
      IngestBenchOptions options =
          quick ? IngestBenchOptions.quick() : IngestBenchOptions.defaults();
      if (clients != null) {
        options = options.withPublishers(clients);
      }
      if (window != null) {
        options = options.withWindow(window);
      }
      if (seconds != null) {
        options = options.withRound(Duration.ofMillis(Math.round(seconds * 1000)));
      }
      if (rounds != null) {
        options = options.withRounds(rounds);
      }
      if (idleConnections != null) {
        options = options.withIdleConnections(idleConnections);
      }
      if (dir != null) {
        options = options.withBaseDir(dir);
      }
      IngestBenchResult result = IngestBenchmark.run(options, System.err);
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
      return result.allTargetsMet() ? 0 : 1;
    }
  }

  @Command(
      name = "pipeline",
      mixinStandardHelpOptions = true,
      description = {
        "End-to-end latency from a board's publish to the row being visible in PostgreSQL, through"
            + " the gateway (MQTT 5 over mutual TLS, fsync'd log), Kafka (KRaft) and the store"
            + " consumer, all real and in this JVM: first at a fixed offered load, then on a ramp"
            + " of loads until p99 reaches 1 s. Progress on stderr, JSON on stdout.",
        "Exit 0 when the fixed load's p99 is under 1 s, 1 otherwise."
      })
  static final class Pipeline implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--quick",
        description = "20 boards, 1,000 msg/s, 5 s steps, ramp 1,000 and 2,000 (about 1 minute).")
    boolean quick;

    @Option(names = "--devices", paramLabel = "N", description = "Simulated boards (default 100).")
    Integer devices;

    @Option(
        names = "--rate",
        paramLabel = "MSG_PER_S",
        description = "The fixed offered load, in messages/s over all boards (default 5000).")
    Integer rate;

    @Option(
        names = "--ramp",
        paramLabel = "R1,R2,…",
        split = ",",
        description =
            "Loads to try after the fixed one, lowest first, until one is not sustained (default"
                + " 1000,2500,5000,7500,10000,12500,15000).")
    List<Integer> ramp;

    @Option(
        names = "--seconds",
        paramLabel = "S",
        description = "Publishing seconds per step (default 15).")
    Integer seconds;

    @Option(
        names = "--warmup",
        paramLabel = "S",
        description = "Seconds at the fixed load before anything is measured (default 30).")
    Integer warmup;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Where Kafka, PostgreSQL and the log go (default: the temp directory).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      PipelineBenchmark.Options defaults =
          quick ? PipelineBenchmark.Options.quick() : PipelineBenchmark.Options.defaults();
      PipelineBenchmark.Options options =
          new PipelineBenchmark.Options(
              devices != null ? devices : defaults.devices(),
              rate != null ? rate : defaults.fixedRate(),
              ramp != null ? ramp : defaults.ramp(),
              seconds != null ? Duration.ofSeconds(seconds) : defaults.step(),
              warmup != null ? Duration.ofSeconds(warmup) : defaults.warmup(),
              Optional.ofNullable(dir));
      PipelineBenchmark.Result result = PipelineBenchmark.run(options, System.err);
      spec.commandLine().getOut().println(result.json());
      spec.commandLine().getOut().flush();
      return result.fixedLoadMet() ? 0 : 1;
    }
  }

  @Command(
      name = "store",
      mixinStandardHelpOptions = true,
      description = {
        "Points per second the store writer puts into PostgreSQL (embedded, fsync on; decode,"
            + " idempotent COPY or merge, latest values, devices and rollups) next to a raw COPY"
            + " of the same rows (messages and points) into the same tables, and into tables"
            + " without unique indexes, in interleaved rounds. Progress on stderr, JSON on stdout.",
        "Exit 0 when the ratio meets the target (0.8), 1 otherwise."
      })
  static final class Store implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "Small batches, 2 measured rounds (a few seconds).")
    boolean quick;

    @Option(
        names = "--batch",
        paramLabel = "N",
        description =
            "Messages per batch and transaction (default 20000, the store consumer's"
                + " max_batch_records).")
    Integer batch;

    @Option(
        names = "--batches",
        paramLabel = "N",
        description = "Batches per contender per round (default 5).")
    Integer batches;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        description = "Rounds including the first, unmeasured one (default 9).")
    Integer rounds;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Where PostgreSQL keeps its data (default: the temp directory).")
    Path dir;

    @Override
    public Integer call() {
      StoreBenchOptions options = quick ? StoreBenchOptions.quick() : StoreBenchOptions.defaults();
      if (batch != null) {
        options = options.withBatchRecords(batch);
      }
      if (batches != null) {
        options = options.withBatchesPerRound(batches);
      }
      if (rounds != null) {
        options = options.withRounds(rounds);
      }
      if (dir != null) {
        options = options.withBaseDir(dir);
      }
      StoreBenchResult result = StoreBenchmark.run(options, System.err);
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
      return result.allTargetsMet() ? 0 : 1;
    }
  }

  @Command(
      name = "queries",
      mixinStandardHelpOptions = true,
      description = {
        "The dashboard's queries (fleet summary, stale devices, samples per gateway over 24 h, a"
            + " device's 7-day chart) through the fleet read model, next to the same questions in"
            + " naive SQL over the raw points, on a generated history (default 1,000 devices and"
            + " 100 million points, by COPY) in embedded PostgreSQL. Needs ~15 GB of disk and"
            + " ~15 minutes at full size. Progress on stderr, JSON on stdout.",
        "Exit 0 when every read-model query has p95 <= 100 ms, 1 otherwise."
      })
  static final class Queries implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--quick", description = "One million points (well under a minute).")
    boolean quick;

    @Option(
        names = "--points",
        paramLabel = "N",
        description = "Telemetry rows to generate (default 100000000).")
    Long points;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Where PostgreSQL keeps its data (default: the temp directory).")
    Path dir;

    @Override
    public Integer call() {
      QueryBenchOptions options = quick ? QueryBenchOptions.quick() : QueryBenchOptions.defaults();
      if (points != null) {
        options = options.withPoints(points);
      }
      if (dir != null) {
        options = options.withBaseDir(dir);
      }
      QueryBenchResult result = QueryBenchmark.run(options, System.err);
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
      return result.allTargetsMet() ? 0 : 1;
    }
  }

  @Command(
      name = "certs",
      mixinStandardHelpOptions = true,
      description = {
        "The certificate control plane: issuance from CSRs (ECDSA P-256 and RSA 2048) next to one"
            + " openssl ca process issuing the same certificates from the same CA key; the"
            + " inventory's posture summary and expiring-soon query at 100,000 certificates; CRL"
            + " regeneration with 100,000 revoked entries next to openssl ca -gencrl (openssl 3"
            + " required). Progress on stderr, JSON on stdout.",
        "Exit 0 when ECDSA issuance is at least openssl's rate and both inventory queries have"
            + " p95 <= 50 ms, 1 otherwise."
      })
  static final class Certs implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--quick",
        description = "200 certificates, 10,000-row inventory and CRL, one round (about a minute).")
    boolean quick;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (PostgreSQL, CAs, openssl files; default: a new temp dir).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      io.auditgate.bench.certs.CertsBenchmark.Options options =
          quick
              ? io.auditgate.bench.certs.CertsBenchmark.Options.quick()
              : io.auditgate.bench.certs.CertsBenchmark.Options.defaults();
      Path work =
          dir != null ? dir : java.nio.file.Files.createTempDirectory("auditgate-bench-certs");
      io.auditgate.bench.certs.CertsBenchmark.Result result =
          io.auditgate.bench.certs.CertsBenchmark.run(options, work, System.err);
      spec.commandLine().getOut().println(result.json());
      spec.commandLine().getOut().flush();
      return result.targetsMet() ? 0 : 1;
    }
  }

  @Command(
      name = "crl",
      mixinStandardHelpOptions = true,
      description = {
        "CRL regeneration with many revoked certificates: the control plane's regenerateCrl"
            + " (read every revocation from PostgreSQL, sign, publish) and the signing alone, next"
            + " to openssl ca -gencrl signing the same serials with the same CA key (openssl 3"
            + " required). Progress on stderr, JSON on stdout (medians, ratio openssl/auditgate).",
        "Exit 0 when it ran; it sets no target."
      })
  static final class Crl implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--entries",
        paramLabel = "N",
        description = "Revoked certificates (default ${DEFAULT-VALUE}).")
    int entries = 100_000;

    @Option(
        names = "--rounds",
        paramLabel = "N",
        description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds = 3;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description = "Work directory (PostgreSQL, CA, openssl files; default: a new temp dir).")
    Path dir;

    @Override
    public Integer call() throws java.io.IOException {
      if (entries < 1 || rounds < 1) {
        throw new IllegalArgumentException("--entries and --rounds must be at least 1");
      }
      Path work =
          dir != null ? dir : java.nio.file.Files.createTempDirectory("auditgate-bench-crl");
      io.auditgate.bench.CrlBenchmark.Result result =
          io.auditgate.bench.CrlBenchmark.run(entries, rounds, work, System.err);
      spec.commandLine().getOut().println(result.toJson());
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
