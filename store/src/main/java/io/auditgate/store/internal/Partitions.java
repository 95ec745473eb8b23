package io.auditgate.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The daily partitions of {@code points} (plain PostgreSQL flavour): {@code points_pYYYYMMDD} holds
 * UTC day YYYY-MM-DD. Created under a transaction-scoped advisory lock so that writers of several
 * consumer members never race on the same {@code CREATE TABLE}.
 */
public final class Partitions {
  private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
  private static final String PREFIX = "points_p";
  // Any fixed number will do; it only has to be the same in every process.
  private static final long LOCK_KEY = 0x6175_6469_7470_6172L;

  private Partitions() {}

  public static String name(LocalDate day) {
    return PREFIX + DAY.format(day);
  }

  /** The day a partition name stands for, if it is one of ours. */
  public static Optional<LocalDate> day(String name) {
    if (!name.startsWith(PREFIX) || name.length() != PREFIX.length() + 8) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(name.substring(PREFIX.length()), DAY));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The days that have a partition. Runs in the caller's transaction. */
  public static Set<LocalDate> existing(Connection c) throws SQLException {
    Set<LocalDate> days = new TreeSet<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT child.relname FROM pg_inherits i"
                    + " JOIN pg_class child ON child.oid = i.inhrelid"
                    + " JOIN pg_class parent ON parent.oid = i.inhparent"
                    + " WHERE parent.relname = 'points'"
                    + " AND parent.relnamespace = to_regnamespace(current_schema())::oid")) {
      while (rs.next()) {
        day(rs.getString(1)).ifPresent(days::add);
      }
    }
    return days;
  }

  /**
   * Creates the partitions of {@code days} that do not exist, in a transaction of its own that it
   * commits; returns the days that have a partition afterwards. {@code c} must not be in autocommit
   * mode and must have no open work.
   */
  public static Set<LocalDate> ensure(Connection c, Collection<LocalDate> days)
      throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK_KEY);
      lock.execute();
      Set<LocalDate> have = existing(c);
      try (Statement s = c.createStatement()) {
        for (LocalDate day : days) {
          if (have.add(day)) {
            s.execute(
                "CREATE TABLE "
                    + name(day)
                    + " PARTITION OF points FOR VALUES FROM ('"
                    + day
                    + " 00:00:00+00') TO ('"
                    + day.plusDays(1)
                    + " 00:00:00+00')");
          }
        }
      }
      c.commit();
      return have;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }

  /**
   * Drops every partition whose whole day is before {@code firstKeptDay}, in one transaction it
   * commits; returns the names dropped.
   */
  public static List<String> dropBefore(Connection c, LocalDate firstKeptDay) throws SQLException {
    List<String> dropped = new ArrayList<>();
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, LOCK_KEY);
      lock.execute();
      try (Statement s = c.createStatement()) {
        for (LocalDate day : existing(c)) {
          if (day.isBefore(firstKeptDay)) {
            s.execute("DROP TABLE " + name(day));
            dropped.add(name(day));
          }
        }
      }
      c.commit();
      return dropped;
    } catch (SQLException e) {
      c.rollback();
      throw e;
    }
  }
}
