package io.auditgate.bench;

import io.auditgate.core.Directories;
import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.store.StoreMaintenance;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.StoreSchema;
import io.auditgate.store.StoreWriter;
import io.auditgate.store.WriteOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * {@code auditgate bench store}: the store writer's throughput (points per second, idempotently,
 * with all it maintains) next to raw {@code COPY} into the same PostgreSQL (embedded, fsync on) of
 * the same rows the store keeps (each message's {@code messages} row and its points), once into the
 * same tables (a second database migrated with the store's schema) and once into plain tables
 * without unique indexes, in interleaved rounds. Every rate is points per second. See {@link
 * StoreBenchResult}.
 */
public final class StoreBenchmark {
  private static final String GATEWAY = "bench-gw";
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
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
    Path root = WalBenchmark.createRunDirectory(options.baseDir(), "auditgate-bench-store");
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(root.resolve("postgres"))) {
      progress.println("bench store: PostgreSQL on port " + postgres.port() + ", fsync on");
      StoreOptions store =
          StoreOptions.of(postgres.createDatabase("bench_store"), postgres.user(), "")
              .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(600));
      StoreSchema.Migrated migrated = StoreSchema.migrate(store);
      Instant base = Instant.now().minusSeconds(3600);
      StoreOptions sameTables =
          StoreOptions.of(postgres.createDatabase("bench_copy_same_tables"), postgres.user(), "");
      StoreSchema.migrate(sameTables);
      // The writer creates the partitions it needs as it goes; COPY needs them there already.
      new StoreMaintenance(sameTables, migrated.flavor(), Clock.fixed(base, ZoneOffset.UTC))
          .createPartitionsAhead(1);
      String unindexedUrl = postgres.createDatabase("bench_copy_unindexed");
      List<StoreBenchResult.Round> rounds = new ArrayList<>();
      double replay;
      StoreWriter.Paths paths;
      try (StoreWriter writer = new StoreWriter(store, migrated.flavor());
          Connection same =
              DriverManager.getConnection(sameTables.jdbcUrl(), sameTables.driverProperties());
          Connection unindexed = DriverManager.getConnection(unindexedUrl, postgres.user(), "")) {
        same.setAutoCommit(false);
        prepareUnindexedTables(unindexed);
        CopyManager sameCopy = same.unwrap(PGConnection.class).getCopyAPI();
        CopyManager unindexedCopy = unindexed.unwrap(PGConnection.class).getCopyAPI();
        Generator generator = new Generator(options, base);
        List<List<StoreRecord>> last = List.of();
        for (int r = 0; r < options.rounds(); r++) {
          List<List<StoreRecord>> batches = new ArrayList<>();
          List<CopyBatch> copyBatches = new ArrayList<>();
          for (int b = 0; b < options.batchesPerRound(); b++) {
            generator.nextBatch(batches, copyBatches);
          }
          long points =
              (long) options.batchesPerRound()
                  * options.batchRecords()
                  * options.metricsPerMessage();
          double[] rates = new double[3];
          // Rotate who goes first, so no contender always meets a warmer or colder machine.
          for (int k = 0; k < 3; k++) {
            int who = (r + k) % 3;
            rates[who] =
                points
                    / switch (who) {
                      case 0 -> timeStore(writer, batches);
                      case 1 -> timeCopy(same, sameCopy, "messages", "points", copyBatches);
                      default ->
                          timeCopy(
                              unindexed,
                              unindexedCopy,
                              "messages_unindexed",
                              "points_unindexed",
                              copyBatches);
                    };
          }
          StoreBenchResult.Round round = new StoreBenchResult.Round(rates[0], rates[1], rates[2]);
          String label = r == 0 ? "warm-up" : "round " + r;
          progress.printf(
              "bench store: %s (points/s on every side): store %,.0f; COPY of the same rows"
                  + " (messages + points) into the same tables %,.0f, ratio %.2f; into tables"
                  + " without unique indexes %,.0f, ratio %.2f%n",
              label,
              round.storeRowsPerSecond(),
              round.copySameTablesPerSecond(),
              round.ratio(),
              round.copyUnindexedPerSecond(),
              round.unindexedRatio());
          if (r > 0) {
            rounds.add(round);
          }
          last = batches;
        }
        paths = writer.paths();
        long replayRows = (long) last.size() * options.batchRecords() * options.metricsPerMessage();
        replay = replayRows / timeStore(writer, last);
        progress.printf("bench store: replay of a stored round %,.0f points/s%n", replay);
      }
      String version = serverVersion(store);
      double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      StoreBenchResult result =
          new StoreBenchResult(
              startedAt,
              Duration.ofNanos(System.nanoTime() - started),
              machine(options.baseDir(), root, loadAtStart, loadAtEnd),
              options,
              version,
              rounds,
              paths.fast(),
              paths.merged(),
              replay);
      progress.printf(
          "bench store: median points/s: store %,.0f; COPY of the same rows into the same tables"
              + " %,.0f, ratio %.2f (target %.2f); into tables without unique indexes %,.0f,"
              + " ratio %.2f; store batches: %d fast path, %d merged%n",
          result.storeRowsPerSecond(),
          result.copySameTablesPerSecond(),
          result.ratio(),
          StoreBenchResult.TARGET_RATIO,
          result.copyUnindexedPerSecond(),
          result.unindexedRatio(),
          result.fastBatches(),
          result.mergedBatches());
      return result;
    } catch (SQLException e) {
      throw new IllegalStateException("bench store: " + e.getMessage(), e);
    } finally {
      Directories.deleteTree(root);
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
    // The rollup deltas the writer has not folded yet are folded inside the clock: the store is
    // charged for all of its rollup work, not only the share its own folds did.
    writer.foldRollups();
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Seconds raw COPY takes for the rows the store keeps for the same messages: each message's
   * {@code messages} row and its points, one transaction per batch.
   */
  private static double timeCopy(
      Connection c, CopyManager copy, String messages, String points, List<CopyBatch> batches)
      throws SQLException {
    long t0 = System.nanoTime();
    try {
      for (CopyBatch batch : batches) {
        copy.copyIn(
            "COPY "
                + messages
                + " (device_id, seq, gateway_id, wal_offset, schema, received_at, device_time,"
                + " trace_id, source_topic, transport, format, metric_count, tags, payload)"
                + " FROM STDIN (FORMAT binary)",
            new ByteArrayInputStream(batch.messages()));
        copy.copyIn(
            "COPY "
                + points
                + " (time, device_id, gateway_id, metric, value, seq)"
                + " FROM STDIN (FORMAT binary)",
            new ByteArrayInputStream(batch.points()));
        c.commit();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  /**
   * Plain logged tables shaped like the store's (same column types, the same BRIN indexes) but
   * without the unique indexes and partitions: what those cost is the difference between the two
   * baselines.
   */
  private static void prepareUnindexedTables(Connection raw) throws SQLException {
    try (Statement s = raw.createStatement()) {
      s.execute(
          "CREATE TABLE messages_unindexed (device_id text COLLATE \"C\" NOT NULL, seq bigint,"
              + " gateway_id text COLLATE \"C\" NOT NULL, wal_offset bigint NOT NULL,"
              + " schema text NOT NULL, received_at timestamptz NOT NULL,"
              + " device_time timestamptz, trace_id text NOT NULL, source_topic text NOT NULL,"
              + " transport text NOT NULL, format text NOT NULL, metric_count smallint NOT NULL,"
              + " tags jsonb NOT NULL, payload jsonb,"
              + " stored_at timestamptz NOT NULL DEFAULT now())");
      s.execute(
          "CREATE INDEX messages_unindexed_received_at_brin ON messages_unindexed"
              + " USING brin (received_at)");
      s.execute(
          "CREATE TABLE points_unindexed (time timestamptz NOT NULL,"
              + " device_id text COLLATE \"C\" NOT NULL, gateway_id text COLLATE \"C\" NOT NULL,"
              + " metric text COLLATE \"C\" NOT NULL, value double precision NOT NULL, seq bigint)");
      s.execute("CREATE INDEX points_unindexed_time_brin ON points_unindexed USING brin (time)");
    }
    raw.setAutoCommit(false);
  }

  /**
   * One batch as raw binary COPY data (the format the writer sends): its messages rows and its
   * points rows, built before the clock starts.
   */
  private record CopyBatch(byte[] messages, byte[] points) {}

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

    void nextBatch(List<List<StoreRecord>> batches, List<CopyBatch> copyBatches) {
      List<StoreRecord> batch = new ArrayList<>(options.batchRecords());
      BinaryRows points = new BinaryRows();
      BinaryRows messages = new BinaryRows();
      for (int i = 0; i < options.batchRecords(); i++) {
        String device = "b-l475e-" + (offset % options.devices());
        long seq = seqs.merge(device, 1L, Long::sum);
        Instant at = base.plusMillis(offset);
        Map<String, Double> metrics = new HashMap<>();
        for (int m = 0; m < options.metricsPerMessage(); m++) {
          String key = m < METRICS.length ? METRICS[m] : "metric_" + m;
          double value = Math.round((20 + (offset % 1000) * 0.01 + m) * 100) / 100.0;
          metrics.put(key, value);
          points.row(6).time(at).text(device).text(GATEWAY).text(key).float8(value).int8(seq);
        }
        String topic = "devices/" + device + "/telemetry";
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
                TRACE_ID,
                topic,
                Telemetry.Format.SEED_JSON);
        // The messages row the store keeps for this message, column for column (no payload: the
        // generated telemetry has none, on either side).
        messages
            .row(14)
            .text(device)
            .int8(seq)
            .text(GATEWAY)
            .int8(offset)
            .text("telemetry.v1")
            .time(at)
            .nullValue()
            .text(TRACE_ID)
            .text(topic)
            .text("mqtt")
            .text("seed_json")
            .int2(metrics.size())
            .jsonb("{\"site\":\"bench\"}")
            .nullValue();
        byte[] body = codec.encode(new Envelope(EnvelopeSchema.TELEMETRY_V1, Transport.MQTT, t));
        batch.add(new StoreRecord(GATEWAY, offset, RecordTypes.TELEMETRY, body));
        offset++;
      }
      batches.add(batch);
      copyBatches.add(new CopyBatch(messages.finish(), points.finish()));
    }
  }

  /**
   * PostgreSQL's binary COPY format, written here rather than borrowed from the store so that the
   * baseline does not share the code it is compared with.
   */
  private static final class BinaryRows {
    private static final long PG_EPOCH_SECONDS = 946_684_800L;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    private final DataOutputStream out = new DataOutputStream(bytes);

    BinaryRows() {
      write(
          () -> {
            out.writeBytes("PGCOPY\n");
            out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
            out.writeInt(0);
            out.writeInt(0);
          });
    }

    BinaryRows row(int fields) {
      return write(() -> out.writeShort(fields));
    }

    BinaryRows text(String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      return write(
          () -> {
            out.writeInt(b.length);
            out.write(b);
          });
    }

    BinaryRows jsonb(String json) {
      byte[] b = json.getBytes(StandardCharsets.UTF_8);
      return write(
          () -> {
            out.writeInt(b.length + 1);
            out.writeByte(1);
            out.write(b);
          });
    }

    BinaryRows int8(long v) {
      return write(
          () -> {
            out.writeInt(8);
            out.writeLong(v);
          });
    }

    BinaryRows int2(int v) {
      return write(
          () -> {
            out.writeInt(2);
            out.writeShort(v);
          });
    }

    BinaryRows float8(double v) {
      return write(
          () -> {
            out.writeInt(8);
            out.writeDouble(v);
          });
    }

    /** Millisecond instants here, so microseconds are exact. */
    BinaryRows time(Instant at) {
      long micros = (at.getEpochSecond() - PG_EPOCH_SECONDS) * 1_000_000L + at.getNano() / 1000;
      return int8(micros);
    }

    BinaryRows nullValue() {
      return write(() -> out.writeInt(-1));
    }

    byte[] finish() {
      write(() -> out.writeShort(-1));
      return bytes.toByteArray();
    }

    private BinaryRows write(IoStep step) {
      try {
        step.run();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    private interface IoStep {
      void run() throws IOException;
    }
  }
}
