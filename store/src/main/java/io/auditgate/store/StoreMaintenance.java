package io.auditgate.store;

import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.internal.Partitions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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

/**
 * Partitions ahead and retention for the plain PostgreSQL flavour (TimescaleDB runs its own
 * policies). Run it at start and then periodically (hourly is plenty); safe to run from several
 * processes at once. Blocks; thread-safe.
 */
public final class StoreMaintenance {
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
   * cutoff), then messages received and rollup buckets before it. After this a device resending a
   * message older than {@code keep} would be stored again, so {@code keep} must exceed how long a
   * message can wait in a gateway's log or Kafka.
   *
   * @throws StoreException if the database cannot be reached
   */
  public RetentionReport applyRetention(Duration keep) {
    if (keep.isNegative() || keep.isZero()) {
      throw new IllegalArgumentException("keep must be positive, got " + keep);
    }
    Instant cutoff = clock.instant().minus(keep);
    try (Connection c = connect()) {
      List<String> dropped =
          flavor == Flavor.POSTGRES
              ? Partitions.dropBefore(c, LocalDate.ofInstant(cutoff, ZoneOffset.UTC))
              : List.of();
      long messages = delete(c, "DELETE FROM messages WHERE received_at < ?", cutoff);
      long rollups =
          flavor == Flavor.POSTGRES ? delete(c, "DELETE FROM rollups WHERE bucket < ?", cutoff) : 0;
      c.commit();
      return new RetentionReport(dropped, messages, rollups);
    } catch (SQLException e) {
      throw new StoreException("cannot apply retention: " + e.getMessage(), e);
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
