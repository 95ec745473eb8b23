package io.auditgate.controlplane.internal.inventory;

import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A few idle connections kept for reuse. Opening a PostgreSQL connection (TCP, startup,
 * authentication) costs about 5 ms, a tenth of the posture summary's 50 ms budget, so the inventory
 * keeps up to {@link #MAX_IDLE} open between calls instead of one per call. A connection idle for
 * longer than {@link #CHECK_AFTER_NANOS} is checked before reuse; one that failed a statement is
 * closed, never reused.
 *
 * <p>Thread-safe; {@link #borrow} blocks while connecting.
 */
final class Connections implements AutoCloseable {
  static final int MAX_IDLE = 2;
  static final long CHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private record Idle(Connection connection, long since) {}

  private final StoreOptions store;
  private final ArrayBlockingQueue<Idle> idle = new ArrayBlockingQueue<>(MAX_IDLE);
  private volatile boolean closed;

  Connections(StoreOptions store) {
    this.store = store;
  }

  Connection borrow() throws SQLException {
    Idle i;
    while ((i = idle.poll()) != null) {
      boolean fresh = System.nanoTime() - i.since() < CHECK_AFTER_NANOS;
      if (fresh || i.connection().isValid(2)) {
        return i.connection();
      }
      quietlyClose(i.connection());
    }
    return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
  }

  /** Takes the connection back; {@code broken} (a statement failed) closes it instead. */
  void release(Connection c, boolean broken) {
    if (broken || closed) {
      quietlyClose(c);
      return;
    }
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      if (c.isReadOnly()) {
        c.setReadOnly(false);
      }
    } catch (SQLException e) {
      quietlyClose(c);
      return;
    }
    if (!idle.offer(new Idle(c, System.nanoTime()))) {
      quietlyClose(c);
    }
  }

  @Override
  public void close() {
    closed = true;
    Idle i;
    while ((i = idle.poll()) != null) {
      quietlyClose(i.connection());
    }
  }

  private static void quietlyClose(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // closing a connection we give up on: nothing to do about a failure
    }
  }
}
