package io.auditgate.fleet;

import io.auditgate.fleet.internal.JdbcFleetReadModel;
import io.auditgate.fleet.internal.JdbcFleetRegistry;
import io.auditgate.fleet.internal.PooledConnections;
import io.auditgate.store.StoreOptions;
import java.time.Clock;

/**
 * Where the fleet model's implementations come from: each over the store's PostgreSQL (the schema
 * migrated by {@code StoreSchema.migrate}). The objects returned are thread-safe; one of each per
 * process is enough. {@link #readModel} and {@link #registry} hold no connection between calls and
 * need no closing; {@link #pooledReadModel} keeps a small pool and must be closed.
 */
public final class Fleet {
  private Fleet() {}

  /** The read model; {@code clock} is its "now" for windows, days to expiry and throughput. */
  public static FleetReadModel readModel(StoreOptions store, Clock clock) {
    return new JdbcFleetReadModel(store, clock);
  }

  /**
   * The read model over a pool of at most {@code maxConnections} read-only connections (opened when
   * first needed, retired after a minute idle): what a process serving the API and the dashboard
   * uses. Close it when the process stops.
   *
   * @param maxConnections 1 to 64
   * @throws IllegalArgumentException if {@code maxConnections} is out of range
   */
  public static CloseableFleetReadModel pooledReadModel(
      StoreOptions store, Clock clock, int maxConnections) {
    return new JdbcFleetReadModel(new PooledConnections(store, maxConnections), clock);
  }

  /** The registry's write side. */
  public static FleetRegistry registry(StoreOptions store) {
    return new JdbcFleetRegistry(store);
  }
}
