package io.auditgate.web.tokens;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A token as stored: everything but the secret, which is never kept.
 *
 * @param id the row id, used to revoke it
 * @param name who or what it is for
 * @param scopes what it may do; empty only if the table holds scopes this version does not know
 * @param createdAt when it was created
 * @param lastUsedAt when it last authenticated a request (updated at most once a minute)
 * @param revokedAt when it was revoked; a revoked token authenticates nothing
 */
public record ApiToken(
    long id,
    String name,
    Set<Scope> scopes,
    Instant createdAt,
    Optional<Instant> lastUsedAt,
    Optional<Instant> revokedAt) {
  public ApiToken {
    Objects.requireNonNull(name, "name");
    scopes = Set.copyOf(scopes);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    Objects.requireNonNull(revokedAt, "revokedAt");
  }

  /** Whether the token grants {@code scope}. */
  public boolean grants(Scope scope) {
    return scopes.contains(scope);
  }

  public boolean revoked() {
    return revokedAt.isPresent();
  }
}
