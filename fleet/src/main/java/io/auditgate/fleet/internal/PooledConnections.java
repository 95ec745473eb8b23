package io.auditgate.fleet.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * A small HikariCP pool of read-only connections to the store, for the read model behind the API,
 * the dashboard and the fleet gauges: a page of the dashboard makes several calls at once, and a
 * new PostgreSQL connection (a server process and a TLS or auth round trip each) costs more than
 * most of these queries. Connections are opened lazily (none while nobody reads) and retired after
 * a minute idle; a call waits at most {@link #CONNECTION_TIMEOUT} for one, then fails like an
 * unreachable store. The pool starts even when the store is down.
 *
 * <p>Thread-safe; {@link #close()} closes every connection, after which calls fail.
 */
public final class PooledConnections implements Connections, AutoCloseable {
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
  static final String APPLICATION_NAME = "auditgate-fleet-read";

  private final HikariDataSource pool;
  private final String describe;

  /**
   * @param maxConnections at most this many connections open at once, 1 to 64
   */
  public PooledConnections(StoreOptions store, int maxConnections) {
    if (maxConnections < 1 || maxConnections > 64) {
      throw new IllegalArgumentException(
          "maxConnections must be between 1 and 64, got " + maxConnections);
    }
    Properties driver = store.driverProperties();
    driver.setProperty("ApplicationName", APPLICATION_NAME);
    HikariConfig config = new HikariConfig();
    config.setPoolName(APPLICATION_NAME);
    config.setJdbcUrl(store.jdbcUrl());
    config.setDataSourceProperties(driver);
    config.setMaximumPoolSize(maxConnections);
    config.setMinimumIdle(0);
    config.setIdleTimeout(Duration.ofMinutes(1).toMillis());
    config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
    config.setReadOnly(true);
    // A node must start while its store is still coming up; calls fail until it is reachable.
    config.setInitializationFailTimeout(-1);
    this.pool = new HikariDataSource(config);
    this.describe = store.redactedUrl();
  }

  @Override
  public Connection open() throws SQLException {
    return pool.getConnection();
  }

  @Override
  public String describe() {
    return describe;
  }

  @Override
  public void close() {
    pool.close();
  }
}
