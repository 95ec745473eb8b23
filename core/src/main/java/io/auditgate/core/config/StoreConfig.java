package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Section {@code store}: the PostgreSQL/TimescaleDB database that keeps telemetry history. Without
 * {@code jdbc_url} a real PostgreSQL is started from embedded binaries with its data in {@code
 * gateway.data_dir/postgres} and fsync on.
 *
 * @param embeddedPort the embedded PostgreSQL's loopback port; 0 picks a free one
 * @param retention how long telemetry is kept; older partitions (or chunks) are dropped
 */
public record StoreConfig(
    Optional<String> jdbcUrl,
    Optional<String> user,
    Optional<String> password,
    Integer embeddedPort,
    Duration retention) {
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)([?&;](?:ssl)?password=)[^&;]*");

  public StoreConfig {
    jdbcUrl = orDefault(jdbcUrl, Optional.<String>empty()).filter(s -> !s.isBlank());
    jdbcUrl.ifPresent(
        url ->
            Check.that(
                url.startsWith("jdbc:postgresql:"),
                "jdbc_url",
                "must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db), got "
                    + redactUrl(url)));
    user = orDefault(user, Optional.empty());
    password = orDefault(password, Optional.empty());
    embeddedPort = orDefault(embeddedPort, 0);
    Check.that(
        embeddedPort >= 0 && embeddedPort <= 65535,
        "embedded_port",
        "must be between 0 and 65535, got " + embeddedPort);
    retention =
        between(
            "retention",
            orDefault(retention, Duration.ofDays(90)),
            Duration.ofHours(1),
            Duration.ofDays(36_500));
  }

  public static StoreConfig defaults() {
    return new StoreConfig(null, null, null, null, null);
  }

  /** Whether the gateway starts its own PostgreSQL. */
  public boolean embedded() {
    return jdbcUrl.isEmpty();
  }

  /**
   * {@code url} with the values of its {@code password} and {@code sslpassword} parameters hidden.
   */
  public static String redactUrl(String url) {
    return SECRET_PARAMETER.matcher(url).replaceAll("$1***");
  }

  @Override
  public String toString() {
    return "StoreConfig[jdbcUrl="
        + jdbcUrl.map(StoreConfig::redactUrl)
        + ", user="
        + user
        + ", password="
        + password.map(p -> "***")
        + ", embeddedPort="
        + embeddedPort
        + ", retention="
        + retention
        + "]";
  }
}
