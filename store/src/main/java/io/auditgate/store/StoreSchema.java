package io.auditgate.store;

import io.auditgate.store.internal.OneConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's schema, applied by Flyway from {@code db/migration/common} plus the flavour's own
 * location: {@code db/migration/postgres} (range partitions, writer-kept rollups) or {@code
 * db/migration/timescaledb} (hypertable, compression, continuous aggregates, retention policy).
 *
 * <p>The flavour is the one installed, so a database never switches flavour under its data; a new
 * database gets TimescaleDB when the server offers the extension (see {@link #detectFlavor}).
 */
public final class StoreSchema {
  private static final Logger log = LoggerFactory.getLogger(StoreSchema.class);

  private StoreSchema() {}

  /** How the time-series part of the schema is built. */
  public enum Flavor {
    /** Plain PostgreSQL: native range partitions, BRIN, rollup tables kept by the writer. */
    POSTGRES("postgres"),
    /** The TimescaleDB extension: hypertable, compression, continuous aggregates, policies. */
    TIMESCALEDB("timescaledb");

    private final String location;

    Flavor(String location) {
      this.location = location;
    }

    /** The Flyway location of the flavour's own migrations. */
    public String location() {
      return "classpath:db/migration/" + location;
    }
  }

  /** What {@link #migrate} did. */
  public record Migrated(Flavor flavor, int migrationsApplied, String version) {
    public Migrated {
      Objects.requireNonNull(flavor, "flavor");
      Objects.requireNonNull(version, "version");
    }
  }

  /**
   * Brings the database's schema up to date; a no-op when it is. Blocks; safe to call from several
   * processes at once (Flyway locks its history table).
   *
   * @throws UnableToMigrateSchemaException if the database is unreachable or a migration fails
   */
  public static Migrated migrate(StoreOptions options) {
    Flavor flavor = detectFlavor(options);
    if (flavor == Flavor.TIMESCALEDB) {
      try {
        createExtension(options);
      } catch (UnableToMigrateSchemaException e) {
        if (e.getCause() instanceof SQLException sql
            && sql.getSQLState() != null
            && sql.getSQLState().startsWith("08")) {
          throw e; // the database went away: no conclusion about the extension
        }
        // Offered but not loadable (a server without timescaledb in shared_preload_libraries):
        // the plain schema works on any PostgreSQL, and a new database is the only one that gets
        // here, so nothing has to be converted.
        log.warn("{}; using the plain PostgreSQL schema", e.getMessage());
        flavor = Flavor.POSTGRES;
      }
    }
    return migrate(options, flavor);
  }

  /** Like {@link #migrate(StoreOptions)} with the flavour given (tests of one flavour). */
  public static Migrated migrate(StoreOptions options, Flavor flavor) {
    if (flavor == Flavor.TIMESCALEDB) {
      createExtension(options);
    }
    try (OneConnection session = new OneConnection(options.jdbcUrl(), options.driverProperties())) {
      FluentConfiguration config =
          Flyway.configure()
              .dataSource(session)
              .locations("classpath:db/migration/common", flavor.location())
              .cleanDisabled(true);
      // A session lock: the migrations run on the lock's own session (see OneConnection), each in
      // its own transaction, which a transaction-scoped lock would span.
      config
          .getConfigurationExtension(PostgreSQLConfigurationExtension.class)
          .setTransactionalLock(false);
      Flyway flyway = config.load();
      MigrateResult result = flyway.migrate();
      String version =
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : String.valueOf(result.initialSchemaVersion);
      return new Migrated(flavor, result.migrationsExecuted, version);
    } catch (FlywayException e) {
      throw new UnableToMigrateSchemaException(
          "cannot migrate the store schema at " + options.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  /**
   * The flavour of the database: the one already installed, else TimescaleDB when the server offers
   * the extension, else plain PostgreSQL.
   */
  public static Flavor detectFlavor(StoreOptions options) {
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
        Statement s = c.createStatement()) {
      if (exists(s, "SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'")) {
        return Flavor.TIMESCALEDB;
      }
      boolean alreadyPlain =
          exists(
              s,
              "SELECT 1 FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid"
                  + " WHERE c.relname = 'points'");
      if (alreadyPlain) {
        return Flavor.POSTGRES;
      }
      if (exists(s, "SELECT 1 FROM pg_class WHERE relname = 'points' AND relkind IN ('r', 'p')")) {
        // A points table of neither flavour's making: leave it to the plain migrations to say so.
        return Flavor.POSTGRES;
      }
      return exists(s, "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")
          ? Flavor.TIMESCALEDB
          : Flavor.POSTGRES;
    } catch (SQLException e) {
      throw new UnableToMigrateSchemaException(
          "cannot inspect the database at " + options.redactedUrl() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Installs the extension on its own connection before Flyway runs, so that its first statement in
   * the session is the {@code CREATE EXTENSION} TimescaleDB asks for.
   */
  private static void createExtension(StoreOptions options) {
    try (Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
        Statement s = c.createStatement()) {
      s.execute("CREATE EXTENSION IF NOT EXISTS timescaledb");
    } catch (SQLException e) {
      throw new UnableToMigrateSchemaException(
          "cannot create the timescaledb extension at "
              + options.redactedUrl()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static boolean exists(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
