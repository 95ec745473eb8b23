package io.auditgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.StoreWriter.Staging;
import io.auditgate.store.WriteOutcome.Written;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The TimescaleDB flavour against a real TimescaleDB engine (PGlite with TimescaleDB 2.23, see
 * {@link TimescaleDbServer}): the migrations build a hypertable with compression, continuous
 * aggregates and policies; the writer stores batches exactly once through its {@code INSERT}
 * staging path; the policies' jobs refresh the aggregates, compress and drop old chunks.
 *
 * <p>One engine for the class (it starts in ~3 s); the tests use disjoint devices. Times are
 * relative to the engine's clock because its policies are.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TimescaleDbFlavorTest {
  private TimescaleDbServer server;
  private StoreOptions db;
  private StoreSchema.Migrated migrated;

  @BeforeAll
  void start() throws Exception {
    server = TimescaleDbServer.startOrSkip();
    db = server.options();
    migrated = StoreSchema.migrate(db);
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aServerOfferingTheExtensionGetsTheTimescaleDbSchema() {
    assertThat(migrated.flavor()).isEqualTo(Flavor.TIMESCALEDB);
    assertThat(migrated.migrationsApplied()).isEqualTo(13);
    assertThat(StoreSchema.migrate(db).migrationsApplied()).isZero();
    assertThat(StoreSchema.detectFlavor(db)).isEqualTo(Flavor.TIMESCALEDB);

    assertThat(
            Sql.rows(
                db,
                "SELECT h.hypertable_name, h.compression_enabled, d.time_interval"
                    + " FROM timescaledb_information.hypertables h"
                    + " JOIN timescaledb_information.dimensions d USING (hypertable_name)"
                    + " WHERE h.hypertable_name = 'points'"))
        .containsExactly(List.of("points", "t", "1 day"));
    assertThat(
            Sql.rows(
                db,
                "SELECT segmentby_column_index IS NOT NULL, orderby_column_index IS NOT NULL"
                    + " FROM timescaledb_information.compression_settings"
                    + " WHERE hypertable_name = 'points' AND attname IN ('device_id', 'time')"
                    + " ORDER BY attname"))
        .containsExactly(List.of("t", "f"), List.of("f", "t"));
    assertThat(
            Sql.rows(
                db,
                "SELECT view_name FROM timescaledb_information.continuous_aggregates ORDER BY 1"))
        .containsExactly(List.of("points_1h"), List.of("points_1m"));
    assertThat(
            Sql.rows(
                db,
                "SELECT proc_name, coalesce(hypertable_name, '') FROM timescaledb_information.jobs"
                    + " WHERE job_id >= 1000 ORDER BY 1, 2"))
        .containsExactly(
            List.of("policy_compression", "points"),
            List.of("policy_refresh_continuous_aggregate", "points_1h"),
            List.of("policy_refresh_continuous_aggregate", "points_1m"),
            List.of("policy_retention", "points"),
            List.of("policy_retention", "points_1h"),
            List.of("policy_retention", "points_1m"));
  }

  @Test
  void retentionFollowsTheConfiguredWindow() {
    StoreMaintenance maintenance =
        new StoreMaintenance(db, Flavor.TIMESCALEDB, java.time.Clock.systemUTC());
    write(
        List.of(
            Records.withSeq("gw-r", 0, "dev-r-old", 1, engineNow().minus(Duration.ofDays(40))),
            Records.withSeq("gw-r", 1, "dev-r-new", 1, engineNow().minus(Duration.ofDays(20)))));
    try {
      maintenance.applyRetention(Duration.ofDays(30));

      assertThat(retentionPolicies())
          .containsExactly(
              List.of("points", "30 days"),
              List.of("points_1h", "400 days"),
              List.of("points_1m", "30 days"));
      List<List<String>> jobs = retentionJobIds();
      maintenance.applyRetention(Duration.ofDays(30));
      assertThat(retentionJobIds()).as("unchanged policies are left alone").isEqualTo(jobs);

      runJob("policy_retention", "points");
      assertThat(count("SELECT count(*) FROM points WHERE device_id = 'dev-r-old'")).isZero();
      assertThat(count("SELECT count(*) FROM points WHERE device_id = 'dev-r-new'")).isEqualTo(2);
      // the idempotency keys follow the same window
      assertThat(count("SELECT count(*) FROM messages WHERE device_id = 'dev-r-old'")).isZero();
      assertThat(count("SELECT count(*) FROM messages WHERE device_id = 'dev-r-new'")).isEqualTo(1);
    } finally {
      // the migration's window again, for the other tests
      maintenance.applyRetentionPolicy(Duration.ofDays(90));
    }
    assertThat(retentionPolicies())
        .containsExactly(
            List.of("points", "90 days"),
            List.of("points_1h", "400 days"),
            List.of("points_1m", "90 days"));
  }

  private List<List<String>> retentionPolicies() {
    return Sql.rows(
        db,
        "SELECT hypertable_name, config->>'drop_after' FROM timescaledb_information.jobs"
            + " WHERE proc_name = 'policy_retention' ORDER BY 1");
  }

  private List<List<String>> retentionJobIds() {
    return Sql.rows(
        db,
        "SELECT hypertable_name, job_id FROM timescaledb_information.jobs"
            + " WHERE proc_name = 'policy_retention' ORDER BY 1");
  }

  @Test
  void batchesAreStoredExactlyOnceAndTheWriterKeepsNoRollups() {
    Instant t0 = engineNow().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(Records.withSeq("gw-w", i, "dev-w" + (i % 3), i, t0.plusSeconds(i)));
    }
    batch.add(Records.withoutSeq("gw-w", 100, "dev-w0", t0));
    List<StoreRecord> overlapping = new ArrayList<>(batch.subList(20, 31));
    overlapping.add(Records.withSeq("gw-w", 101, "dev-w1", 31, t0.plusSeconds(40)));

    assertThat(write(batch)).isEqualTo(new Written(31, 0, List.of()));
    assertThat(write(batch)).isEqualTo(new Written(0, 31, List.of()));
    assertThat(write(overlapping)).isEqualTo(new Written(1, 11, List.of()));

    assertThat(count("SELECT count(*) FROM messages WHERE gateway_id = 'gw-w'")).isEqualTo(32);
    // 31 messages with seq carry temp_c and humidity, the one without seq temp_c alone
    assertThat(count("SELECT count(*) FROM points WHERE gateway_id = 'gw-w'")).isEqualTo(63);
    assertThat(
            count(
                "SELECT count(*) FROM (SELECT 1 FROM points WHERE gateway_id = 'gw-w'"
                    + " GROUP BY device_id, seq, metric HAVING count(*) > 1) d"))
        .isZero();
    assertThat(
            Sql.rows(
                db,
                "SELECT value, seq FROM latest_values WHERE device_id = 'dev-w1'"
                    + " AND metric = 'temp_c'"))
        .containsExactly(List.of("31", "31"));
    assertThat(Sql.rows(db, "SELECT last_seq, status FROM devices WHERE device_id = 'dev-w1'"))
        .containsExactly(List.of("31", "active"));
    // rollups are the continuous aggregates' view, not a table the writer fills
    assertThat(
            count(
                "SELECT count(*) FROM pg_views WHERE schemaname = 'public'"
                    + " AND viewname = 'rollups'"))
        .isEqualTo(1);
  }

  @Test
  void theJobsRefreshTheAggregatesCompressAndDropOldChunks() {
    // two hours back, so that both refresh policies' windows cover the data's buckets
    Instant hour = engineNow().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(2));
    Instant t0 = hour.plus(Duration.ofMinutes(10));
    List<StoreRecord> recent = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      recent.add(Records.withSeq("gw-c", i, "dev-c" + (i % 3), i, t0.plusSeconds(i)));
    }
    write(recent);
    Instant tenDaysAgo = engineNow().minus(Duration.ofDays(10));
    Instant hundredDaysAgo = engineNow().minus(Duration.ofDays(100));
    write(
        List.of(
            Records.withSeq("gw-c", 1000, "dev-old", 1, tenDaysAgo),
            Records.withSeq("gw-c", 1001, "dev-ancient", 1, hundredDaysAgo)));
    assertThat(materializedMinutes("dev-c")).isZero();

    runJob("policy_refresh_continuous_aggregate", "points_1m");
    runJob("policy_refresh_continuous_aggregate", "points_1h");

    // 3 devices x 2 metrics, one minute bucket each, now materialized
    assertThat(materializedMinutes("dev-c")).isEqualTo(6);
    // dev-c0 sent seq 0, 3, ..., 57: temp_c = seq
    List<String> dev0 = List.of("20", "0", "57", "570", "28.5");
    assertThat(
            Sql.rows(
                db,
                "SELECT resolution, bucket = '"
                    + t0.truncatedTo(ChronoUnit.MINUTES)
                    + "'::timestamptz OR bucket = '"
                    + hour
                    + "'::timestamptz, count, min, max, sum, avg FROM rollups"
                    + " WHERE scope = 'device' AND scope_id = 'dev-c0' AND metric = 'temp_c'"
                    + " ORDER BY resolution"))
        .containsExactly(concat(List.of("hour", "t"), dev0), concat(List.of("minute", "t"), dev0));
    assertThat(
            Sql.rows(
                db,
                "SELECT resolution, count, min, max, sum FROM rollups"
                    + " WHERE scope = 'gateway' AND scope_id = 'gw-c' AND metric = 'temp_c'"
                    + " AND bucket >= '"
                    + hour
                    + "'::timestamptz ORDER BY resolution"))
        .containsExactly(
            List.of("hour", "60", "0", "59", "1770"), List.of("minute", "60", "0", "59", "1770"));

    runJob("policy_compression", "points");
    runJob("policy_retention", "points");

    assertThat(
            Sql.rows(
                db,
                "SELECT bool_and(is_compressed), count(*) > 0 FROM timescaledb_information.chunks"
                    + " WHERE hypertable_name = 'points' AND range_end < now() - interval '7 days'"))
        .containsExactly(List.of("t", "t"));
    assertThat(count("SELECT count(*) FROM points WHERE device_id = 'dev-old'")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM points WHERE device_id = 'dev-ancient'")).isZero();
    // the message (the idempotency key) outlives the chunk: StoreMaintenance prunes messages
    assertThat(count("SELECT count(*) FROM messages WHERE device_id = 'dev-ancient'")).isEqualTo(1);
  }

  @Test
  void deviceConnectivityIsRecordedOnceInThisFlavourToo() {
    Instant t0 = engineNow().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(10));
    List<StoreRecord> batch =
        List.of(
            DeviceConnectivityTest.connected("gw-c", 1, "dev-c", t0),
            Records.withSeq("gw-c", 2, "dev-c", 1, t0.plusSeconds(1)),
            DeviceConnectivityTest.disconnected(
                "gw-c", 3, "dev-c", t0.plusSeconds(2), "connection_lost", 0));

    assertThat(write(batch)).isEqualTo(new Written(3, 0, List.of()));
    assertThat(write(batch)).isEqualTo(new Written(0, 3, List.of()));

    assertThat(count("SELECT count(*) FROM device_connectivity WHERE device_id = 'dev-c'"))
        .isEqualTo(2);
    assertThat(
            Sql.rows(
                db,
                "SELECT last_disconnect_at - last_connect_at FROM devices"
                    + " WHERE device_id = 'dev-c'"))
        .containsExactly(List.of("00:00:02"));
  }

  private Written write(List<StoreRecord> batch) {
    // one session at a time: the writer's connection must be closed before the next query
    try (StoreWriter writer = new StoreWriter(db, migrated.flavor(), Staging.INSERT)) {
      WriteOutcome outcome = writer.write(batch);
      assertThat(outcome).as(server.output()).isInstanceOf(Written.class);
      return (Written) outcome;
    }
  }

  private long count(String sql) {
    return Sql.count(db, sql);
  }

  private Instant engineNow() {
    return Instant.parse(
        Sql.rows(db, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
            .get(0)
            .get(0));
  }

  private long materializedMinutes(String devicePrefix) {
    String table =
        Sql.rows(
                db,
                "SELECT format('%I.%I', materialization_hypertable_schema,"
                    + " materialization_hypertable_name)"
                    + " FROM timescaledb_information.continuous_aggregates"
                    + " WHERE view_name = 'points_1m'")
            .get(0)
            .get(0);
    return count("SELECT count(*) FROM " + table + " WHERE device_id LIKE '" + devicePrefix + "%'");
  }

  private void runJob(String proc, String relation) {
    String id =
        Sql.rows(
                db,
                "SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = '"
                    + proc
                    + "' AND hypertable_name = '"
                    + relation
                    + "'")
            .get(0)
            .get(0);
    Sql.execute(db, "CALL run_job(" + id + ")");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
