package io.auditgate.fleet;

import io.auditgate.fleet.internal.JdbcFleetReadModel;
import io.auditgate.fleet.internal.JdbcFleetRegistry;
import io.auditgate.store.StoreOptions;
import java.time.Clock;

/**
 * Where the fleet model's implementations come from: each over the store's PostgreSQL (the schema
 * migrated by {@code StoreSchema.migrate}). The objects returned are thread-safe and hold no
 * connection between calls, so one of each per process is enough and there is nothing to close.
 */
public final class Fleet {
  private Fleet() {}

  /** The read model; {@code clock} is its "now" for windows, days to expiry and throughput. */
  public static FleetReadModel readModel(StoreOptions store, Clock clock) {
    return new JdbcFleetReadModel(store, clock);
  }

  /** The registry's write side. */
  public static FleetRegistry registry(StoreOptions store) {
    return new JdbcFleetRegistry(store);
  }
}
