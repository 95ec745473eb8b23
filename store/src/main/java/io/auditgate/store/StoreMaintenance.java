package io.auditgate.store;

import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.internal.Partitions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Partitions ahead and retention. For the plain PostgreSQL flavour it drops partitions and deletes
 * old rows itself; for TimescaleDB, whose jobs drop old chunks, it sets their retention policies to
 * the same window. Run it at start and then periodically (hourly is plenty); safe to run from
 * several processes at once. Blocks; thread-safe.
 */
public final class StoreMaintenance {
  private static final Logger log = LoggerFactory.getLogger(StoreMaintenance.class);

  /**
   * TimescaleDB relations whose retention policy follows {@code keep}: the points and the
   * per-minute aggregate. {@code points_1h} keeps the migration's 400 days: hourly history is meant
   * to outlive the raw points.
   */
  private static final List<String> TIMESCALE_RETAINED = List.of("points", "points_1m");

  private final StoreOptions options;
  private final Flavor flavor;
  private final Clock clock;

  public StoreMaintenance(StoreOptions options, Flavor flavor, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.flavor = Objects.requireNonNull(flavor, "flavor");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What retention removed. */
  public record RetentionReport(
      List<String> droppedPartitions, long deletedMessages, long deletedRollups) {
    public RetentionReport {
      droppedPartitions = List.copyOf(droppedPartitions);
    }
  }

  /**
   * Creates the partitions of today and the next {@code daysAhead} days (UTC), so that the writer
   * rarely has to create one on the hot path.
   *
   * @throws StoreException if the database cannot be reached
   */
  public void createPartitionsAhead(int daysAhead) {
    if (flavor != Flavor.POSTGRES) {
      return;
    }
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    List<LocalDate> days = new ArrayList<>();
    for (int i = 0; i <= daysAhead; i++) {
      days.add(today.plusDays(i));
    }
    try (Connection c = connect()) {
      Partitions.ensure(c, days);
    } catch (SQLException e) {
      throw new StoreException("cannot create partitions: " + e.getMessage(), e);
    }
  }

  /**
   * Removes history older than {@code keep}: whole point partitions (days entirely before the
   * cutoff), then messages received and rollup buckets before it. For TimescaleDB, the retention
   * policies of {@code points} and {@code points_1m} are set to drop chunks older than {@code keep}
   * ({@link #applyRetentionPolicy}) and messages are deleted as above, so points and idempotency
   * keys follow the same setting. After this a device resending a message older than {@code keep}
   * would be stored again, so {@code keep} must exceed how long a message can wait in a gateway's
   * log or Kafka.
   *
   * @throws StoreException if the database cannot be reached
   */
  public RetentionReport applyRetention(Duration keep) {
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("keep must be positive, got " + keep);
    }
    Instant cutoff = clock.instant().minus(keep);
    if (flavor == Flavor.TIMESCALEDB) {
      applyRetentionPolicy(keep);
    }
    try (Connection c = connect()) {
      List<String> dropped =
          flavor == Flavor.POSTGRES
              ? Partitions.dropBefore(c, LocalDate.ofInstant(cutoff, ZoneOffset.UTC))
              : List.of();
      long messages = delete(c, "DELETE FROM messages WHERE received_at < ?", cutoff);
      long rollups =
          flavor == Flavor.POSTGRES
              ? delete(c, "DELETE FROM rollups_folded WHERE bucket < ?", cutoff)
                  + delete(c, "DELETE FROM rollup_deltas WHERE bucket < ?", cutoff)
              : 0;
      c.commit();
      return new RetentionReport(dropped, messages, rollups);
    } catch (SQLException e) {
      throw new StoreException("cannot apply retention: " + e.getMessage(), e);
    }
  }

  /**
   * TimescaleDB: makes the retention policies of {@code points} and {@code points_1m} drop chunks
   * older than {@code keep} ({@code remove_retention_policy(..., if_exists => true)}, then {@code
   * add_retention_policy(..., drop_after => keep)}), unless they already do: replacing a policy
   * reschedules its job, and maintenance runs hourly. No-op for plain PostgreSQL.
   *
   * @throws StoreException if the database cannot be reached or refuses
   */
  public void applyRetentionPolicy(Duration keep) {
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("keep must be positive, got " + keep);
    }
    if (flavor != Flavor.TIMESCALEDB) {
      return;
    }
    long days = keep.toDays();
    double seconds = keep.minusDays(days).toNanos() / 1e9;
    String interval = "make_interval(days => ?::integer, secs => ?::double precision)";
    try (Connection c = connect()) {
      for (String relation : TIMESCALE_RETAINED) {
        boolean current;
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(*) FROM timescaledb_information.jobs"
                    + " WHERE proc_name = 'policy_retention' AND hypertable_name = ?"
                    + " AND (config->>'drop_after')::interval = "
                    + interval)) {
          ps.setString(1, relation);
          ps.setInt(2, Math.toIntExact(days));
          ps.setDouble(3, seconds);
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            current = rs.getLong(1) == 1;
          }
        }
        if (current) {
          continue;
        }
        try (PreparedStatement remove =
                c.prepareStatement(
                    "SELECT remove_retention_policy(?::regclass, if_exists => true)");
            PreparedStatement add =
                c.prepareStatement(
                    "SELECT add_retention_policy(?::regclass, drop_after => " + interval + ")")) {
          remove.setString(1, relation);
          remove.execute();
          add.setString(1, relation);
          add.setInt(2, Math.toIntExact(days));
          add.setDouble(3, seconds);
          add.execute();
        }
        log.info("TimescaleDB retention policy of {} set to {}", relation, keep);
      }
      c.commit();
    } catch (SQLException e) {
      throw new StoreException("cannot set the retention policy: " + e.getMessage(), e);
    }
  }

  private static long delete(Connection c, String sql, Instant cutoff) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setTimestamp(1, Timestamp.from(cutoff));
      return ps.executeLargeUpdate();
    }
  }

  private Connection connect() throws SQLException {
    Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
    c.setAutoCommit(false);
    return c;
  }
}
