package io.auditgate.store;

import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * How to reach the store's database.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} URL
 * @param user the user to connect as
 * @param password its password (empty when the server trusts the connection)
 * @param connectTimeout how long opening a connection may take before the database counts as
 *     unreachable
 * @param socketTimeout how long one statement round trip may block before the connection is given
 *     up (a batch's {@code COPY} and merge must fit in it)
 */
public record StoreOptions(
    String jdbcUrl, String user, String password, Duration connectTimeout, Duration socketTimeout) {
  public StoreOptions {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(socketTimeout, "socketTimeout");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "jdbcUrl must start with jdbc:postgresql:, got " + JdbcUrls.redact(jdbcUrl));
    }
    if (connectTimeout.toSeconds() < 1 || socketTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException(
          "timeouts must be at least 1s, got " + connectTimeout + " and " + socketTimeout);
    }
  }

  /** 5 s to connect, 60 s per statement. */
  public static StoreOptions of(String jdbcUrl, String user, String password) {
    return new StoreOptions(jdbcUrl, user, password, Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  /** The same database with other timeouts. */
  public StoreOptions withTimeouts(Duration connect, Duration socket) {
    return new StoreOptions(jdbcUrl, user, password, connect, socket);
  }

  /** Driver properties: credentials, timeouts, UTC sessions. */
  public Properties driverProperties() {
    Properties p = new Properties();
    p.setProperty("user", user);
    p.setProperty("password", password);
    p.setProperty("connectTimeout", Long.toString(connectTimeout.toSeconds()));
    p.setProperty("loginTimeout", Long.toString(connectTimeout.toSeconds()));
    p.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
    p.setProperty("ApplicationName", "auditgate-store");
    // Buckets are cut in UTC whatever the server's default zone.
    p.setProperty("options", "-c TimeZone=UTC");
    return p;
  }

  /** The URL as logs and messages may show it: password parameters masked ({@link JdbcUrls}). */
  public String redactedUrl() {
    return JdbcUrls.redact(jdbcUrl);
  }

  @Override
  public String toString() {
    return "StoreOptions[jdbcUrl="
        + redactedUrl()
        + ", user="
        + user
        + ", connectTimeout="
        + connectTimeout
        + ", socketTimeout="
        + socketTimeout
        + "]";
  }
}
