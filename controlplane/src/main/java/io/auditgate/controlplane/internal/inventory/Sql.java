package io.auditgate.controlplane.internal.inventory;

import io.auditgate.controlplane.inventory.UnableToUseInventoryException;
import io.auditgate.store.StoreOptions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JDBC plumbing: connections from {@link Connections}, transactions, and statements with {@code
 * :name} parameters (so that the status expression can use {@code :now} several times). Stateless.
 */
final class Sql {
  private static final Pattern NAMED = Pattern.compile("(?<!:):([a-z][a-z0-9_]*)");

  private Sql() {}

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  static <T> T read(Connections pool, StoreOptions store, String what, Work<T> work) {
    Connection c = null;
    boolean broken = true;
    try {
      c = pool.borrow();
      c.setReadOnly(true);
      T result = work.run(c);
      broken = false;
      return result;
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot read " + what + " from " + store.redactedUrl() + ": " + e.getMessage(), e);
    } finally {
      if (c != null) {
        pool.release(c, broken);
      }
    }
  }

  static <T> T transaction(Connections pool, StoreOptions store, String what, Work<T> work) {
    Connection c = null;
    boolean broken = true;
    try {
      c = pool.borrow();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        broken = false;
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToUseInventoryException(
          "cannot write " + what + " to " + store.redactedUrl() + ": " + e.getMessage(), e);
    } finally {
      if (c != null) {
        pool.release(c, broken);
      }
    }
  }

  /**
   * Prepares {@code sql}, binding each {@code :name} from {@code params} (Instant → timestamptz).
   */
  static PreparedStatement prepare(Connection c, String sql, Map<String, ?> params)
      throws SQLException {
    List<String> names = new ArrayList<>();
    Matcher m = NAMED.matcher(sql);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      names.add(m.group(1));
      m.appendReplacement(out, "?");
    }
    m.appendTail(out);
    PreparedStatement ps = c.prepareStatement(out.toString());
    try {
      for (int i = 0; i < names.size(); i++) {
        String name = names.get(i);
        if (!params.containsKey(name)) {
          throw new IllegalArgumentException("no value for :" + name);
        }
        bind(ps, i + 1, params.get(name));
      }
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
    return ps;
  }

  static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value instanceof Optional<?> o) {
      value = o.orElse(null);
    }
    if (value == null) {
      ps.setNull(index, Types.NULL);
    } else if (value instanceof Instant instant) {
      ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    } else if (value instanceof Array array) {
      ps.setArray(index, array);
    } else {
      ps.setObject(index, value);
    }
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(instant(rs, column));
  }

  static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  static List<String> strings(ResultSet rs, String column) throws SQLException {
    Array a = rs.getArray(column);
    if (a == null) {
      return List.of();
    }
    return List.of((String[]) a.getArray());
  }

  static Array textArray(Connection c, List<String> values) throws SQLException {
    return c.createArrayOf("text", values.toArray(String[]::new));
  }
}
