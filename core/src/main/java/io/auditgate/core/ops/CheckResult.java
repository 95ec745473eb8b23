package io.auditgate.core.ops;

import java.util.Objects;

/**
 * What one {@link HealthCheck} found.
 *
 * @param ok whether the condition holds
 * @param detail what was seen, in words an operator can act on (free bytes, the failing sink's last
 *     error); never null, may be empty
 */
public record CheckResult(boolean ok, String detail) {
  public CheckResult {
    Objects.requireNonNull(detail, "detail");
  }

  public static CheckResult ok(String detail) {
    return new CheckResult(true, detail);
  }

  public static CheckResult failed(String detail) {
    return new CheckResult(false, detail);
  }
}
