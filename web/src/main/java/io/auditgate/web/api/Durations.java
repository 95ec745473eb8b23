package io.auditgate.web.api;

import io.auditgate.web.http.QueryParameters;
import java.time.Duration;

/** The API's duration syntax in bodies, the same as in query parameters. */
final class Durations {
  private Durations() {}

  /** {@code 30s/5m/1h/7d} or ISO-8601; null when it is neither. */
  static Duration parse(String text) {
    return QueryParameters.parseDuration(text);
  }
}
