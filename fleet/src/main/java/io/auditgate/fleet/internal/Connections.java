package io.auditgate.fleet.internal;

import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Where the fleet's queries get a connection: a new one per call, or a pool's. Closing the
 * connection a call got returns it (to the pool, or to nothing). Thread-safe.
 */
public interface Connections {
  /** A connection for one call; the caller closes it. */
  Connection open() throws SQLException;

  /** The store's URL without secrets, for error messages. */
  String describe();

  /** A new connection per call. */
  static Connections perCall(StoreOptions store) {
    return new Connections() {
      @Override
      public Connection open() throws SQLException {
        return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
      }

      @Override
      public String describe() {
        return store.redactedUrl();
      }
    };
  }
}
