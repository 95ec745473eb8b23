package io.auditgate.web.tokens;

import java.util.Optional;

/**
 * Turns a bearer token string into the token it is, if it is a live one.
 *
 * <p>Thread-safety: called from the server's worker threads concurrently; implementations are
 * thread-safe. May block on a database.
 */
public interface TokenAuthenticator {
  /**
   * @param secret the bearer token as the client sent it
   * @return the token when it exists and is not revoked; empty otherwise (unknown, malformed and
   *     revoked look the same to a client)
   */
  Optional<ApiToken> authenticate(String secret);

  /**
   * Tries {@code first}, then {@code second}: a node with a store and a {@code web.tokens_file}
   * accepts tokens from both (the file first, so a scraper's token from the file works even while
   * the database is down).
   */
  static TokenAuthenticator either(TokenAuthenticator first, TokenAuthenticator second) {
    return secret -> first.authenticate(secret).or(() -> second.authenticate(secret));
  }
}
