package io.auditgate.web.tokens;

import java.util.Locale;
import java.util.Optional;

/** What an API token may do. Stored by {@link #label()} in {@code api_tokens.scopes}. */
public enum Scope {
  /** GET everything under {@code /api/v1} and the dashboard's data. */
  READ,
  /** Change the registry: devices, imports, profiles. */
  WRITE,
  /** Scrape {@code /metrics} (a {@code read} token may scrape too). */
  METRICS,
  /** The certificate authority's operations: revoking certificates. */
  ADMIN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The scope spelled {@code label}, if it is one. */
  public static Optional<Scope> parse(String label) {
    for (Scope s : values()) {
      if (s.label().equals(label)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
