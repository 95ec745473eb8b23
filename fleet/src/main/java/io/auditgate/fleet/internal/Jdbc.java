package io.auditgate.fleet.internal;

import io.auditgate.fleet.Page;
import io.auditgate.fleet.UnableToReadFleetException;
import io.auditgate.fleet.UnableToWriteFleetException;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Short connections to the store and the small binding helpers every query here shares. Writes (the
 * registry, the state monitor) take a new connection per call: they are rare. The read model may
 * take its connections from a pool ({@link PooledConnections}).
 */
final class Jdbc {
  private Jdbc() {}

  /** Work on an open connection. */
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Maps one row. */
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /**
   * Runs {@code work} on a read-only connection; failures become {@link
   * UnableToReadFleetException}.
   */
  static <T> T read(StoreOptions store, String what, Work<T> work) {
    return read(Connections.perCall(store), what, work);
  }

  /** The same on a connection from {@code connections}. */
  static <T> T read(Connections connections, String what, Work<T> work) {
    try (Connection c = connections.open()) {
      c.setReadOnly(true);
      return work.run(c);
    } catch (SQLException e) {
      throw new UnableToReadFleetException(
          "cannot read " + what + " from " + connections.describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code work} in one transaction, committed when it returns, rolled back when it throws;
   * failures become {@link UnableToWriteFleetException}.
   */
  static <T> T transaction(StoreOptions store, String what, Work<T> work) {
    try (Connection c = Connections.perCall(store).open()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToWriteFleetException(
          "cannot write " + what + " to " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  static <T> List<T> list(Connection c, String sql, List<?> params, Row<T> row)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    }
  }

  /**
   * One page of {@code query}'s rows in {@code orderBy} order, and how many rows it has in all, on
   * one read-only connection. {@code params} bind {@code query}'s placeholders.
   */
  static <T> Page<T> page(
      Connections store,
      String what,
      String query,
      String orderBy,
      List<?> params,
      int limit,
      int offset,
      Row<T> row) {
    List<Object> pageParams = new ArrayList<>(params);
    pageParams.add(limit);
    pageParams.add(offset);
    return read(
        store,
        what,
        c -> {
          long total = count(c, "SELECT count(*) FROM (" + query + ") counted", params);
          List<T> items =
              list(c, query + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?", pageParams, row);
          return new Page<>(items, offset, limit, total);
        });
  }

  static <T> Optional<T> one(Connection c, String sql, List<?> params, Row<T> row)
      throws SQLException {
    List<T> rows = list(c, sql, params, row);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  static long count(Connection c, String sql, List<?> params) throws SQLException {
    return one(c, sql, params, rs -> rs.getLong(1)).orElse(0L);
  }

  static int update(Connection c, String sql, List<?> params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p instanceof Optional<?> o) {
        p = o.orElse(null);
      }
      if (p instanceof Instant t) {
        ps.setObject(i + 1, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
      } else if (p instanceof Duration d) {
        ps.setLong(i + 1, d.getSeconds());
      } else if (p instanceof String[] a) {
        ps.setArray(i + 1, ps.getConnection().createArrayOf("text", a));
      } else if (p == null) {
        // untyped: the server infers the parameter's type from the statement
        ps.setNull(i + 1, Types.NULL);
      } else {
        ps.setObject(i + 1, p);
      }
    }
  }

  static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? Optional.empty() : Optional.of(t.toInstant());
  }

  static Instant requiredInstant(ResultSet rs, String column) throws SQLException {
    return instant(rs, column)
        .orElseThrow(() -> new SQLException("column " + column + " is unexpectedly null"));
  }

  static Optional<String> string(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }
}
