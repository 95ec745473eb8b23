package io.auditgate.app.runtime;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.StoreConfig;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreMaintenance;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import io.auditgate.store.StoreWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history store as one process uses it: the database (a configured PostgreSQL/TimescaleDB, or a
 * real embedded PostgreSQL in the data directory), its schema brought up to date, a writer per
 * role, and hourly maintenance (partitions ahead, retention). Shared by the gateway's direct store
 * sink and the store consumer when one process runs both.
 */
final class StoreRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreRuntime.class);
  private static final int PARTITION_DAYS_AHEAD = 3;

  private final Optional<EmbeddedPostgres> embedded;
  private final StoreOptions options;
  private final StoreSchema.Migrated schema;
  private final List<StoreWriter> writers = new ArrayList<>();
  private final ScheduledExecutorService maintenance;

  private StoreRuntime(
      Optional<EmbeddedPostgres> embedded,
      StoreOptions options,
      StoreSchema.Migrated schema,
      ScheduledExecutorService maintenance) {
    this.embedded = embedded;
    this.options = options;
    this.schema = schema;
    this.maintenance = maintenance;
  }

  /** Starts (or connects to) the database, migrates it and schedules its maintenance. */
  static StoreRuntime open(AuditgateConfig config, Clock clock) {
    StoreConfig store = config.store();
    Optional<EmbeddedPostgres> embedded = Optional.empty();
    StoreOptions options;
    if (store.embedded()) {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.start(
              new EmbeddedPostgres.Options(
                  config.gateway().postgresDir(), store.embeddedPort(), Optional.empty()));
      embedded = Optional.of(postgres);
      options = StoreOptions.of(postgres.jdbcUrl(), postgres.user(), postgres.password());
      log.info("embedded PostgreSQL at {} (data {})", postgres.jdbcUrl(), postgres.dataDirectory());
    } else {
      // Neither is required: a server that trusts the connection or checks a client certificate
      // takes no password, and the URL may carry both (?user=...&password=...), which the driver
      // lets win over these properties.
      options =
          StoreOptions.of(
              store.jdbcUrl().orElseThrow(), store.user().orElse(""), store.password().orElse(""));
    }
    try {
      StoreSchema.Migrated schema = StoreSchema.migrate(options);
      log.info(
          "store schema {} ({}), {} migrations applied",
          schema.version(),
          schema.flavor(),
          schema.migrationsApplied());
      StoreMaintenance upkeep = new StoreMaintenance(options, schema.flavor(), clock);
      ScheduledExecutorService maintenance =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "store-maintenance");
                thread.setDaemon(true);
                return thread;
              });
      maintenance.scheduleWithFixedDelay(
          () -> maintain(upkeep, store.retention()), 0, 1, TimeUnit.HOURS);
      return new StoreRuntime(embedded, options, schema, maintenance);
    } catch (RuntimeException e) {
      embedded.ifPresent(EmbeddedPostgres::close);
      throw e;
    }
  }

  private static void maintain(StoreMaintenance upkeep, Duration retention) {
    try {
      upkeep.createPartitionsAhead(PARTITION_DAYS_AHEAD);
      StoreMaintenance.RetentionReport removed = upkeep.applyRetention(retention);
      if (!removed.droppedPartitions().isEmpty() || removed.deletedMessages() > 0) {
        log.info("store retention ({}): {}", retention, removed);
      }
    } catch (RuntimeException e) {
      // The database may be down for a while; the next run catches up.
      log.warn("store maintenance failed, will retry in an hour: {}", e.toString());
    }
  }

  StoreOptions options() {
    return options;
  }

  /**
   * A writer of its own for one role: a writer is one connection with one staging table and is not
   * thread-safe, so the gateway's direct sink and the store consumer must never share one.
   */
  synchronized StoreWriter newWriter() {
    StoreWriter writer = new StoreWriter(options, schema.flavor());
    writers.add(writer);
    return writer;
  }

  StoreSchema.Migrated schema() {
    return schema;
  }

  @Override
  public void close() {
    maintenance.shutdownNow();
    synchronized (this) {
      writers.forEach(StoreWriter::close);
    }
    embedded.ifPresent(EmbeddedPostgres::close);
  }
}
