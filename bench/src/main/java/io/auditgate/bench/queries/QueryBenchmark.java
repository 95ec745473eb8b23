package io.auditgate.bench.queries;

import io.auditgate.bench.WalBenchmark;
import io.auditgate.core.Directories;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.fleet.DeviceQuery;
import io.auditgate.fleet.DeviceState;
import io.auditgate.fleet.Fleet;
import io.auditgate.fleet.FleetReadModel;
import io.auditgate.fleet.FleetStateMonitor;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code auditgate bench queries}: the dashboard's questions — fleet summary, stale devices,
 * samples per gateway over 24 hours, a device's chart over 7 days — asked through the fleet read
 * model (what the API and the dashboard call) of a generated fleet history, next to the same
 * questions asked naively of the raw points table, in the same run on the same PostgreSQL
 * (embedded, fsync on). See {@link QueryBenchData} for the history and {@link NaiveQueries} for the
 * naive SQL.
 */
public final class QueryBenchmark {
  private QueryBenchmark() {}

  public static QueryBenchResult run(QueryBenchOptions options, PrintStream progress) {
    Instant startedAt = Instant.now();
    long started = System.nanoTime();
    double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    Path root = WalBenchmark.createRunDirectory(options.baseDir(), "auditgate-bench-queries");
    // Whole seconds, so that the hour and minute rollups line up with the queries' buckets.
    Instant end = startedAt.truncatedTo(ChronoUnit.MINUTES);
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(root.resolve("postgres"))) {
      progress.printf(
          "bench queries: PostgreSQL on port %d; %,d devices, %,d gateways, %,d points over %s%n",
          postgres.port(),
          options.devices(),
          options.gateways(),
          options.points(),
          options.history());
      StoreOptions store =
          StoreOptions.of(postgres.createDatabase("bench_queries"), postgres.user(), "")
              .withTimeouts(Duration.ofSeconds(10), Duration.ofHours(2));
      StoreSchema.migrate(store);
      QueryBenchData data = new QueryBenchData(options, end);
      data.generate(store, progress);
      Clock now = Clock.fixed(end, ZoneOffset.UTC);
      try (FleetStateMonitor monitor =
          new FleetStateMonitor(store, now, FleetStateMonitor.Settings.defaults())) {
        monitor.evaluateOnce();
      }
      FleetReadModel fleet = Fleet.readModel(store, now);
      List<QueryBenchResult.Question> questions = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
        NaiveQueries naive = new NaiveQueries(c, end, QueryBenchData.STALE_AFTER);
        int reporting = data.reporting();
        Instant dayAgo = end.minus(Duration.ofHours(24));
        Instant weekAgo = end.minus(Duration.ofDays(7));
        DeviceQuery stale =
            DeviceQuery.all()
                .withState(DeviceState.STALE)
                .sortedBy(DeviceQuery.Sort.LAST_TELEMETRY, false)
                .page(1000, 0);
        questions.add(
            measure(
                "fleet_summary",
                "devices and gateways by state, samples in the last hour",
                options,
                progress,
                i -> fleet.summary(Duration.ofHours(1)),
                i -> naive.fleetSummary()));
        questions.add(
            measure(
                "stale_devices",
                "devices without telemetry for 3 expected intervals, longest silent first",
                options,
                progress,
                i -> check(fleet.devices(stale).total() == options.staleDevices(), "stale count"),
                i -> naive.staleDevices()));
        questions.add(
            measure(
                "samples_per_gateway_24h",
                "points per gateway per hour over the last 24 hours",
                options,
                progress,
                i ->
                    check(
                        fleet.samplesPerGateway(dayAgo, end, Duration.ofHours(1)).size()
                            == options.gateways(),
                        "one series per gateway"),
                i -> naive.samplesPerGateway()));
        questions.add(
            measure(
                "device_chart_7d",
                "one device's temp_c over 7 days, hourly count/min/avg/max",
                options,
                progress,
                i ->
                    check(
                        !fleet
                            .series(
                                QueryBenchData.device(i % reporting),
                                "temp_c",
                                weekAgo,
                                end,
                                Duration.ofHours(1))
                            .isEmpty(),
                        "a chart with buckets"),
                i -> naive.deviceChart(QueryBenchData.device(i % reporting))));
      }
      double loadAtEnd = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
      return new QueryBenchResult(
          startedAt,
          Duration.ofNanos(System.nanoTime() - started),
          Runtime.getRuntime().availableProcessors(),
          loadAtStart,
          loadAtEnd,
          options,
          questions);
    } catch (SQLException e) {
      throw new IllegalStateException("bench queries: " + e.getMessage(), e);
    } finally {
      Directories.deleteTree(root);
    }
  }

  private static QueryBenchResult.Question measure(
      String name,
      String description,
      QueryBenchOptions options,
      PrintStream progress,
      Timings.Query dashboard,
      Timings.Query naive) {
    try {
      Timings fast =
          Timings.of(Math.min(20, options.iterations()), options.iterations(), dashboard);
      Timings slow = Timings.of(1, options.naiveIterations(), naive);
      progress.printf(
          "bench queries: %s: read model p50 %.1f ms p95 %.1f ms; naive p50 %.0f ms p95 %.0f ms%n",
          name, fast.p50(), fast.p95(), slow.p50(), slow.p95());
      return new QueryBenchResult.Question(name, description, fast, slow);
    } catch (Exception e) {
      throw new IllegalStateException("bench queries: " + name + ": " + e.getMessage(), e);
    }
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException("the read model's answer is wrong: " + what);
    }
  }
}
