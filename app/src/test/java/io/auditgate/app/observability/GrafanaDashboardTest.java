package io.auditgate.app.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreMaintenance;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every query of the shipped Grafana dashboard (panels, the device variable, the annotation) runs
 * against a real migrated store with rows in every table it reads, with Grafana's PostgreSQL macros
 * expanded the way Grafana expands them, and returns rows; time-series panels return a {@code time}
 * column.
 */
class GrafanaDashboardTest {
  static final Path DASHBOARD = Path.of("..", "ops", "grafana", "auditgate-fleet.json");
  private static final String DEVICE = "b-l475e-0001";
  private static final Pattern TIME_GROUP_ALIAS =
      Pattern.compile("\\$__timeGroupAlias\\(\\s*([^,]+?)\\s*,\\s*([^)]+?)\\s*\\)");
  private static final Pattern TIME_FILTER =
      Pattern.compile("\\$__timeFilter\\(\\s*([^)]+?)\\s*\\)");

  @TempDir Path dir;

  @Test
  void everyQueryRunsAgainstAMigratedStoreAndReturnsRows() throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DASHBOARD));
    Map<String, String> queries = new TreeMap<>();
    Map<String, String> formats = new TreeMap<>();
    for (JsonNode panel : dashboard.get("panels")) {
      JsonNode target = panel.get("targets").get(0);
      queries.put(panel.get("title").asText(), target.get("rawSql").asText());
      formats.put(panel.get("title").asText(), target.get("format").asText());
    }
    for (JsonNode variable : dashboard.get("templating").get("list")) {
      queries.put("variable " + variable.get("name").asText(), variable.get("query").asText());
    }
    for (JsonNode annotation : dashboard.get("annotations").get("list")) {
      queries.put(
          "annotation " + annotation.get("name").asText(),
          annotation.get("target").get("rawSql").asText());
    }
    assertThat(queries).hasSizeGreaterThan(10);

    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("pg"))) {
      StoreOptions options =
          StoreOptions.of(postgres.createDatabase("dash"), postgres.user(), postgres.password());
      StoreSchema.Migrated schema = StoreSchema.migrate(options);
      Instant now = Instant.now();
      // Partitions from yesterday on, so rows of the last hours have one even just after midnight.
      new StoreMaintenance(
              options, schema.flavor(), Clock.fixed(now.minus(Duration.ofDays(1)), ZoneOffset.UTC))
          .createPartitionsAhead(2);
      try (Connection c =
          DriverManager.getConnection(options.jdbcUrl(), postgres.user(), postgres.password())) {
        seed(c);
        Instant from = now.minus(Duration.ofHours(24));
        for (Map.Entry<String, String> query : queries.entrySet()) {
          String sql = expand(query.getValue(), from, now);
          List<String> columns = new ArrayList<>();
          int rows = 0;
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData meta = r.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
              columns.add(meta.getColumnLabel(i));
            }
            while (r.next()) {
              rows++;
            }
          } catch (java.sql.SQLException e) {
            throw new AssertionError(query.getKey() + " failed: " + e.getMessage() + "\n" + sql, e);
          }
          assertThat(rows).as("rows of %s:%n%s", query.getKey(), sql).isPositive();
          if ("time_series".equals(formats.get(query.getKey()))) {
            assertThat(columns).as(query.getKey()).contains("time");
          }
        }
      }
    }
  }

  /** Grafana's PostgreSQL macros, expanded as its data source does, and the variables. */
  static String expand(String sql, Instant from, Instant to) {
    Matcher group = TIME_GROUP_ALIAS.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (group.find()) {
      long seconds = intervalSeconds(group.group(2));
      group.appendReplacement(
          out,
          Matcher.quoteReplacement(
              "floor(extract(epoch from "
                  + group.group(1)
                  + ")/"
                  + seconds
                  + ")*"
                  + seconds
                  + " AS \"time\""));
    }
    group.appendTail(out);
    Matcher filter = TIME_FILTER.matcher(out.toString());
    out = new StringBuilder();
    while (filter.find()) {
      filter.appendReplacement(
          out,
          Matcher.quoteReplacement(filter.group(1) + " BETWEEN '" + from + "' AND '" + to + "'"));
    }
    filter.appendTail(out);
    String expanded = out.toString().replace("$device", DEVICE);
    assertThat(expanded).as("every macro and variable expanded").doesNotContain("$");
    return expanded;
  }

  private static long intervalSeconds(String interval) {
    String i = interval.replace("'", "").trim();
    if (i.equals("$__interval")) {
      return 60;
    }
    long n = Long.parseLong(i.substring(0, i.length() - 1));
    return switch (i.charAt(i.length() - 1)) {
      case 's' -> n;
      case 'm' -> n * 60;
      case 'h' -> n * 3600;
      case 'd' -> n * 86_400;
      default -> throw new IllegalArgumentException(interval);
    };
  }

  /** A few rows in every table the dashboard reads, within the last hour. */
  private static void seed(Connection c) throws Exception {
    try (Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO devices (device_id, first_seen_at, last_telemetry_at, last_gateway_id,"
              + " last_seq, last_connect_at, last_disconnect_at, last_activity_at, status) VALUES"
              + " ('"
              + DEVICE
              + "', now() - interval '2 days', now() - interval '1 minute', 'gw-1', 42,"
              + " now() - interval '1 hour', NULL, now() - interval '1 minute', 'active'),"
              + " ('b-l475e-0002', now() - interval '2 days', now() - interval '3 hours', 'gw-1',"
              + " 7, now() - interval '4 hours', NULL, now() - interval '3 hours', 'stale'),"
              + " ('b-l475e-0003', now() - interval '2 days', now() - interval '5 hours', 'gw-1',"
              + " 3, now() - interval '6 hours', now() - interval '5 hours',"
              + " now() - interval '5 hours', 'offline')");
      s.execute(
          "INSERT INTO gateways (gateway_id, first_seen_at, last_seen_at, last_event_kind,"
              + " last_event_at) VALUES ('gw-1', now() - interval '2 days', now(), 'heartbeat',"
              + " now())");
      s.execute(
          "INSERT INTO points (time, device_id, gateway_id, metric, value, seq) VALUES"
              + " (now() - interval '30 minutes', '"
              + DEVICE
              + "', 'gw-1', 'temperature_c', 21.5, 41),"
              + " (now() - interval '20 minutes', '"
              + DEVICE
              + "', 'gw-1', 'temperature_c', 21.7, 42)");
      s.execute(
          "INSERT INTO rollups_folded (scope, scope_id, resolution, bucket, metric, count, min, max, sum)"
              + " VALUES ('device', '"
              + DEVICE
              + "', 'minute', date_trunc('minute', now() - interval '30 minutes'),"
              + " 'temperature_c', 2, 21.5, 21.7, 43.2),"
              + " ('gateway', 'gw-1', 'hour', date_trunc('hour', now() - interval '30 minutes'),"
              + " 'temperature_c', 2, 21.5, 21.7, 43.2)");
      s.execute(
          "INSERT INTO latest_values (device_id, metric, time, value, seq, gateway_id) VALUES ('"
              + DEVICE
              + "', 'temperature_c', now() - interval '20 minutes', 21.7, 42, 'gw-1')");
      s.execute(
          "INSERT INTO gateway_events (gateway_id, wal_offset, kind, at, attributes) VALUES"
              + " ('gw-1', 0, 'started', now() - interval '2 hours', '{}'),"
              + " ('gw-1', 1, 'recovered', now() - interval '2 hours', '{\"bytes_truncated\":\"12\"}'),"
              + " ('gw-1', 2, 'heartbeat', now() - interval '1 hour', '{}')");
      s.execute(
          "INSERT INTO device_connectivity (gateway_id, wal_offset, device_id, at, event, reason,"
              + " details) VALUES ('gw-1', 10, 'b-l475e-0003', now() - interval '6 hours',"
              + " 'connected', NULL, '{}'), ('gw-1', 11, 'b-l475e-0003',"
              + " now() - interval '5 hours', 'disconnected', 'keep_alive_timeout', '{}')");
    }
  }
}
