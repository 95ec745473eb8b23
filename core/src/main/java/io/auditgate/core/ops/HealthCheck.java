package io.auditgate.core.ops;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One named condition the process needs to do its job (disk space, the log writable, a listener
 * bound, a sink reachable), as {@code GET /readyz} reports it, each check by name.
 *
 * <p>Thread-safety: called from HTTP event loops for every probe, possibly concurrently, so it must
 * be thread-safe and must not block for long: a check that needs a round trip (a sink's
 * reachability) answers from state its owner keeps up to date, not by connecting. An exception
 * counts as failed.
 */
public interface HealthCheck {
  /** Stable snake_case name, the key in the readiness report (for example {@code wal_writable}). */
  String name();

  /** The condition now. */
  CheckResult check();

  /** A check named {@code name} whose condition {@code check} computes. */
  static HealthCheck of(String name, Supplier<CheckResult> check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    return new HealthCheck() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public CheckResult check() {
        return check.get();
      }

      @Override
      public String toString() {
        return "HealthCheck[" + name + "]";
      }
    };
  }
}
