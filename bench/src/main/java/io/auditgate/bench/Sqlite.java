package io.auditgate.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The seed's SQLite store, set up the same way for both SQLite contenders: one connection, WAL
 * journal, {@code synchronous=FULL} (the WAL file is synced at every commit, so a committed message
 * survives power loss, as auditgate's {@code force} guarantees), one row per message.
 */
final class Sqlite {
  static final String INSERT = "INSERT INTO messages (ts, body) VALUES (?, ?)";

  private Sqlite() {}

  /** Opens {@code dir/messages.db}, checks the durability settings took effect. */
  static Connection open(Path dir) throws SQLException {
    Connection connection =
        DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("messages.db"));
    try (Statement statement = connection.createStatement()) {
      String mode = single(statement, "PRAGMA journal_mode=WAL");
      statement.execute("PRAGMA synchronous=FULL");
      String synchronous = single(statement, "PRAGMA synchronous");
      if (!"wal".equalsIgnoreCase(mode) || !"2".equals(synchronous)) {
        throw new SQLException(
            "SQLite refused journal_mode=WAL/synchronous=FULL: got " + mode + "/" + synchronous);
      }
      statement.execute(
          "CREATE TABLE messages"
              + " (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, body BLOB NOT NULL)");
    }
    return connection;
  }

  /** The SQLite library version the driver runs. */
  static String version() {
    try (Connection connection = DriverManager.getConnection("jdbc:sqlite::memory:");
        Statement statement = connection.createStatement()) {
      return single(statement, "SELECT sqlite_version()");
    } catch (SQLException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String single(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      return rows.next() ? rows.getString(1) : null;
    }
  }
}
