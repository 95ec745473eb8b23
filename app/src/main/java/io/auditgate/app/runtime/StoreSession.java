package io.auditgate.app.runtime;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.store.StoreOptions;
import java.time.Clock;
import java.util.function.Function;

/**
 * The configured store for one command-line task (an import, a report): opened (embedded or
 * external), migrated, used, closed. An embedded store's data directory must not be in use by a
 * running node at the same time.
 */
public final class StoreSession {
  private StoreSession() {}

  /** Runs {@code work} with the store's connection settings; blocks until it returns. */
  public static <T> T with(AuditgateConfig config, Clock clock, Function<StoreOptions, T> work) {
    try (StoreRuntime store = StoreRuntime.open(config, clock)) {
      return work.apply(store.options());
    }
  }
}
