package io.auditgate.web.tokens;

import io.auditgate.store.StoreOptions;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The {@code api_tokens} table (migration {@code V40__api_tokens.sql}): create, list, revoke, and
 * authenticate by the token's SHA-256. The table never holds a token, only its hash.
 *
 * <p>Thread-safety: thread-safe. Every call blocks on the database through one connection kept open
 * (authentication happens on every API request, and opening a PostgreSQL connection costs more than
 * the lookup); calls are serialised on it, and it is reopened after a failure. {@code last_used_at}
 * is written at most once a minute per token so that reads do not turn into a write per request.
 *
 * @throws UnableToUseTokensException from every method when the database cannot be used
 */
public final class ApiTokens implements TokenAuthenticator, AutoCloseable {
  private static final Pattern NAME = Pattern.compile("^[\\p{Graph} ]{1,100}$");
  private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);

  private final StoreOptions options;
  private final Clock clock;
  private final Map<Long, Instant> lastUsedWritten = new ConcurrentHashMap<>();
  private Connection connection;

  public ApiTokens(StoreOptions options, Clock clock) {
    this.options = Objects.requireNonNull(options, "options");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a token.
   *
   * @param name who or what it is for, 1 to 100 printable characters
   * @param scopes what it may do, at least one
   * @return the stored token and its secret, which is not kept anywhere and must be shown once
   * @throws IllegalArgumentException if the name or scopes are unusable
   */
  public IssuedToken create(String name, Set<Scope> scopes) {
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "name must be 1 to 100 printable characters, got '" + name + "'");
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is required");
    }
    String secret = TokenSecret.generate();
    Instant now = clock.instant();
    return run(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO api_tokens (name, token_sha256, scopes, created_at)"
                      + " VALUES (?, ?, ?, ?) RETURNING id")) {
            ps.setString(1, name);
            ps.setBytes(2, TokenSecret.sha256(secret));
            ps.setArray(3, c.createArrayOf("text", labels(scopes)));
            ps.setTimestamp(4, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              ApiToken token =
                  new ApiToken(
                      rs.getLong(1), name, scopes, now, Optional.empty(), Optional.empty());
              return new IssuedToken(token, secret);
            }
          }
        });
  }

  /** Every token, revoked ones included, oldest first. */
  public List<ApiToken> list() {
    return run(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id, name, scopes, created_at, last_used_at, revoked_at"
                          + " FROM api_tokens ORDER BY id");
              ResultSet rs = ps.executeQuery()) {
            List<ApiToken> out = new ArrayList<>();
            while (rs.next()) {
              out.add(read(rs));
            }
            return out;
          }
        });
  }

  /**
   * Revokes a token: from now on it authenticates nothing. Revoking a revoked token changes
   * nothing.
   *
   * @return the token as it now is, or empty when there is no token with that id
   */
  public Optional<ApiToken> revoke(long id) {
    Instant now = clock.instant();
    return run(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?"
                      + " RETURNING id, name, scopes, created_at, last_used_at, revoked_at")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setLong(2, id);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public Optional<ApiToken> authenticate(String secret) {
    if (!TokenSecret.wellFormed(secret)) {
      return Optional.empty();
    }
    byte[] hash = TokenSecret.sha256(secret);
    Optional<ApiToken> found =
        run(
            c -> {
              try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT id, name, scopes, created_at, last_used_at, revoked_at"
                          + " FROM api_tokens WHERE token_sha256 = ?")) {
                ps.setBytes(1, hash);
                try (ResultSet rs = ps.executeQuery()) {
                  return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
              }
            });
    if (found.isEmpty() || found.get().revoked()) {
      return Optional.empty();
    }
    touch(found.get().id());
    return found;
  }

  private void touch(long id) {
    Instant now = clock.instant();
    Instant last = lastUsedWritten.get(id);
    if (last != null && last.plus(LAST_USED_GRANULARITY).isAfter(now)) {
      return;
    }
    lastUsedWritten.put(id, now);
    run(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setLong(2, id);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public synchronized void close() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing a broken connection has nothing left to release.
      }
      connection = null;
    }
  }

  private interface Work<T> {
    T apply(Connection c) throws SQLException;
  }

  private synchronized <T> T run(Work<T> work) {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
      }
      return work.apply(connection);
    } catch (SQLException e) {
      close();
      throw new UnableToUseTokensException(
          "cannot use the api_tokens table at " + options.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  private static String[] labels(Set<Scope> scopes) {
    return scopes.stream().map(Scope::label).sorted().toArray(String[]::new);
  }

  private static ApiToken read(ResultSet rs) throws SQLException {
    Array array = rs.getArray(3);
    Set<Scope> scopes = EnumSet.noneOf(Scope.class);
    for (Object label : (Object[]) array.getArray()) {
      // A scope written by a newer version is ignored rather than failing every request.
      Scope.parse((String) label).ifPresent(scopes::add);
    }
    return new ApiToken(
        rs.getLong(1),
        rs.getString(2),
        scopes,
        rs.getTimestamp(4).toInstant(),
        Optional.ofNullable(rs.getTimestamp(5)).map(Timestamp::toInstant),
        Optional.ofNullable(rs.getTimestamp(6)).map(Timestamp::toInstant));
  }
}
