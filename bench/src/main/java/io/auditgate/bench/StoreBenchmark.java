package io.auditgate.bench;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.StoreSchema;
import io.auditgate.store.StoreWriter;
import io.auditgate.store.WriteOutcome;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * {@code auditgate bench store}: the store writer's throughput (points per second, idempotent merge
 * and all it maintains) next to a raw {@code COPY} of the same points into the same PostgreSQL
 * (embedded, fsync on), in interleaved rounds. See {@link StoreBenchResult}.
 */
public final class StoreBenchmark {
  private static final String GATEWAY = "bench-gw";
  private static final String[] METRICS = {
    "temp_c",
    "humidity",
    "pressure_hpa",
    "accel_x",
    "accel_y",
    "accel_z",
    "gyro_x",
    "gyro_y",
    "gyro_z",
    "mag_x",
    "mag_y",
    "mag_z",
    "tof_mm"
  };

  private StoreBenchmark() {}

  public static StoreBenchResult run(StoreBenchOptions options, PrintStream progress) {
    Instant startedAt = Instant.now();
    long started = System.nanoTime();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Path root;
    try {
      Files.createDirectories(options.baseDir());
      root = Files.createTempDirectory(options.baseDir(), "auditgate-bench-store");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the benchmark directory", e);
    }
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(root.resolve("postgres"))) {
      progress.println("bench store: PostgreSQL on port " + postgres.port() + ", fsync on");
      StoreOptions store =
          StoreOptions.of(postgres.createDatabase("bench_store"), postgres.user(), "")
              .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(600));
      StoreSchema.Migrated migrated = StoreSchema.migrate(store);
      String copyUrl = postgres.createDatabase("bench_copy");
      List<StoreBenchResult.Round> rounds = new ArrayList<>();
      double replay;
      try (StoreWriter writer = new StoreWriter(store, migrated.flavor());
          Connection raw = DriverManager.getConnection(copyUrl, postgres.user(), "")) {
        prepareRawTable(raw);
        CopyManager copy = raw.unwrap(PGConnection.class).getCopyAPI();
        Generator generator = new Generator(options, Instant.now().minusSeconds(3600));
        List<List<StoreRecord>> last = List.of();
        for (int r = 0; r < options.rounds(); r++) {
          List<List<StoreRecord>> batches = new ArrayList<>();
          List<String> copyBatches = new ArrayList<>();
          for (int b = 0; b < options.batchesPerRound(); b++) {
            generator.nextBatch(batches, copyBatches);
          }
          long rows =
              (long) options.batchesPerRound()
                  * options.batchRecords()
                  * options.metricsPerMessage();
          double storeRate;
          double copyRate;
          // Alternate who goes first, so neither always meets a warmer or colder machine.
          if (r % 2 == 0) {
            storeRate = rows / timeStore(writer, batches);
            copyRate = rows / timeCopy(raw, copy, copyBatches);
          } else {
            copyRate = rows / timeCopy(raw, copy, copyBatches);
            storeRate = rows / timeStore(writer, batches);
          }
          String label = r == 0 ? "warm-up" : "round " + r;
          progress.printf(
              "bench store: %s: store %,.0f rows/s, COPY %,.0f rows/s, ratio %.2f%n",
              label, storeRate, copyRate, storeRate / copyRate);
          if (r > 0) {
            rounds.add(new StoreBenchResult.Round(storeRate, copyRate));
          }
          last = batches;
        }
        long replayRows = (long) last.size() * options.batchRecords() * options.metricsPerMessage();
        replay = replayRows / timeStore(writer, last);
        progress.printf("bench store: replay of a stored round %,.0f rows/s%n", replay);
      }
      String version = serverVersion(store);
      double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new StoreBenchResult(
          startedAt,
          Duration.ofNanos(System.nanoTime() - started),
          machine(options.baseDir(), root, loadAtStart, loadAtEnd),
          options,
          version,
          rounds,
          replay);
    } catch (SQLException e) {
      throw new IllegalStateException("bench store: " + e.getMessage(), e);
    } finally {
      WalBenchmark.deleteRecursively(root);
    }
  }

  /** Seconds the writer takes for {@code batches}, each one transaction. */
  private static double timeStore(StoreWriter writer, List<List<StoreRecord>> batches) {
    long t0 = System.nanoTime();
    for (List<StoreRecord> batch : batches) {
      WriteOutcome outcome = writer.write(batch);
      if (!(outcome instanceof WriteOutcome.Written)) {
        throw new IllegalStateException("the store refused a benchmark batch: " + outcome);
      }
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /** Seconds raw COPY takes for the same rows, one transaction per batch. */
  private static double timeCopy(Connection raw, CopyManager copy, List<String> batches)
      throws SQLException {
    long t0 = System.nanoTime();
    try {
      for (String rows : batches) {
        copy.copyIn(
            "COPY points_raw (time, device_id, gateway_id, metric, value, seq) FROM STDIN",
            new StringReader(rows));
        raw.commit();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void prepareRawTable(Connection raw) throws SQLException {
    try (Statement s = raw.createStatement()) {
      s.execute(
          "CREATE TABLE points_raw (time timestamptz NOT NULL, device_id text NOT NULL,"
              + " gateway_id text NOT NULL, metric text NOT NULL, value double precision NOT NULL,"
              + " seq bigint)");
      s.execute("CREATE INDEX points_raw_time_brin ON points_raw USING brin (time)");
    }
    raw.setAutoCommit(false);
  }

  private static String serverVersion(StoreOptions store) throws SQLException {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW server_version")) {
      rs.next();
      return "PostgreSQL " + rs.getString(1);
    }
  }

  private static WalBenchResult.Machine machine(
      Path baseDir, Path root, double loadAtStart, double loadAtEnd) {
    String type = "unknown";
    String name = "unknown";
    try {
      type = Files.getFileStore(root).type();
      name = Files.getFileStore(root).name();
    } catch (IOException e) {
      // Only descriptive.
    }
    return new WalBenchResult.Machine(
        Runtime.getRuntime().availableProcessors(),
        Runtime.getRuntime().maxMemory(),
        System.getProperty("java.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        System.getProperty("os.arch"),
        baseDir.toAbsolutePath().toString(),
        type,
        name,
        loadAtStart,
        loadAtEnd);
  }

  /**
   * Messages as the gateway logs them: devices in turn, each with its own rising seq, 1 ms apart,
   * and the same points as raw COPY rows.
   */
  private static final class Generator {
    private final StoreBenchOptions options;
    private final EnvelopeCodec codec = new EnvelopeCodec();
    private final Map<String, Long> seqs = new HashMap<>();
    private final Instant base;
    private long offset;

    Generator(StoreBenchOptions options, Instant base) {
      this.options = options;
      this.base = base;
    }

    void nextBatch(List<List<StoreRecord>> batches, List<String> copyBatches) {
      List<StoreRecord> batch = new ArrayList<>(options.batchRecords());
      StringBuilder rows =
          new StringBuilder(options.batchRecords() * options.metricsPerMessage() * 80);
      for (int i = 0; i < options.batchRecords(); i++) {
        String device = "b-l475e-" + (offset % options.devices());
        long seq = seqs.merge(device, 1L, Long::sum);
        Instant at = base.plusMillis(offset);
        Map<String, Double> metrics = new HashMap<>();
        for (int m = 0; m < options.metricsPerMessage(); m++) {
          String key = m < METRICS.length ? METRICS[m] : "metric_" + m;
          double value = Math.round((20 + (offset % 1000) * 0.01 + m) * 100) / 100.0;
          metrics.put(key, value);
          rows.append(at)
              .append('\t')
              .append(device)
              .append('\t')
              .append(GATEWAY)
              .append('\t')
              .append(key)
              .append('\t')
              .append(value)
              .append('\t')
              .append(seq)
              .append('\n');
        }
        Telemetry t =
            new Telemetry(
                device,
                GATEWAY,
                OptionalLong.of(seq),
                Optional.empty(),
                at,
                metrics,
                Map.of("site", "bench"),
                Optional.empty(),
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "devices/" + device + "/telemetry",
                Telemetry.Format.SEED_JSON);
        byte[] body = codec.encode(new Envelope(EnvelopeSchema.TELEMETRY_V1, Transport.MQTT, t));
        batch.add(new StoreRecord(GATEWAY, offset, RecordTypes.TELEMETRY, body));
        offset++;
      }
      batches.add(batch);
      copyBatches.add(rows.toString());
    }
  }
}
