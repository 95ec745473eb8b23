package io.auditgate.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;

/**
 * The seed's design: SQLite, one row per message, each message its own auto-committed transaction
 * (so one WAL-file sync per message) before it is acknowledged. Producers take turns on the single
 * connection, as the seed does; the statement is prepared once.
 */
final class SqlitePerMessageContender implements Contender {
  static final String NAME = "sqlite_per_message";

  private Connection connection;
  private PreparedStatement insert;
  private volatile long records;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void open(Path dir) throws Exception {
    connection = Sqlite.open(dir);
    connection.setAutoCommit(true);
    insert = connection.prepareStatement(Sqlite.INSERT);
  }

  @Override
  public void appendDurably(byte[] body) throws Exception {
    synchronized (this) {
      insert.setLong(1, System.currentTimeMillis());
      insert.setBytes(2, body);
      insert.executeUpdate();
      records++;
    }
  }

  @Override
  public CommitCounters counters() {
    long n = records;
    return new CommitCounters(n, n);
  }

  @Override
  public synchronized void close() throws Exception {
    if (connection != null) {
      insert.close();
      connection.close();
      connection = null;
    }
  }
}
