package io.auditgate.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * SQLite given auditgate's group commit: a writer thread takes every message queued while the
 * previous commit ran and inserts them, one row each, in a single transaction (one WAL-file sync),
 * then acknowledges them all. Same settings as the per-message design.
 */
final class SqliteGroupCommitContender extends BatchingContender {
  static final String NAME = "sqlite_group_commit";

  private Connection connection;
  private PreparedStatement insert;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  void openStorage(Path dir) throws Exception {
    connection = Sqlite.open(dir);
    connection.setAutoCommit(false);
    insert = connection.prepareStatement(Sqlite.INSERT);
  }

  @Override
  void commit(List<Pending> batch) throws Exception {
    long now = System.currentTimeMillis();
    try {
      for (Pending p : batch) {
        insert.setLong(1, now);
        insert.setBytes(2, p.body());
        insert.executeUpdate();
      }
      connection.commit();
    } catch (Exception e) {
      connection.rollback();
      throw e;
    }
  }

  @Override
  void closeStorage() throws Exception {
    insert.close();
    connection.close();
  }
}
