package io.auditgate.fleet;

import java.util.Objects;
import java.util.Optional;

/**
 * Which gateways to list, by id.
 *
 * @param text a case-insensitive substring of the id or the name
 */
public record GatewayQuery(
    Optional<GatewayState> state, Optional<String> text, int limit, int offset) {
  public GatewayQuery {
    Objects.requireNonNull(state, "state");
    Values.text("text", text);
    Values.limit(limit);
    Values.offset(offset);
  }

  /** The first 100 gateways by id. */
  public static GatewayQuery all() {
    return new GatewayQuery(Optional.empty(), Optional.empty(), 100, 0);
  }
}
