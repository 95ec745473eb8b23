package io.auditgate.store.internal;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that hands out one physical connection, opened on first use, whose {@code
 * close()} is a no-op until {@link #close()} of this object. Flyway asks for a second connection
 * for the migrations themselves; one session is enough for it (with a session-level lock), costs
 * the server one backend fewer, and is all that an engine serving one session at a time (PGlite,
 * the TimescaleDB test engine) can give. Not thread-safe: one migration at a time.
 */
public final class OneConnection implements DataSource, AutoCloseable {
  private final String url;
  private final Properties properties;
  private Connection physical;

  public OneConnection(String url, Properties properties) {
    this.url = url;
    this.properties = properties;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (physical == null || physical.isClosed()) {
      physical = DriverManager.getConnection(url, properties);
    }
    Connection target = physical;
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "close":
                  return null;
                case "isClosed":
                  return target.isClosed();
                case "unwrap":
                  return ((Class<?>) args[0]).isInstance(proxy)
                      ? proxy
                      : target.unwrap((Class<?>) args[0]);
                default:
                  try {
                    return method.invoke(target, args);
                  } catch (java.lang.reflect.InvocationTargetException e) {
                    throw e.getCause();
                  }
              }
            });
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return getConnection();
  }

  /** Closes the physical connection. */
  @Override
  public void close() {
    if (physical != null) {
      try {
        physical.close();
      } catch (SQLException e) {
        // closing after the migration: nothing to do about it
      }
      physical = null;
    }
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return false;
  }
}
