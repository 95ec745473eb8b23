package io.auditgate.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The store's schema, applied by Flyway from {@code db/migration/common} plus the flavour's own
 * location: {@code db/migration/postgres} (range partitions, writer-kept rollups) or {@code
 * db/migration/timescaledb} (hypertable, compression, continuous aggregates, retention policy).
 *
 * <p>The flavour is chosen by what the server offers ({@code pg_available_extensions}) the first
 * time, and by what was installed after that, so a database never switches flavour under its data.
 */
public final class StoreSchema {
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
    return migrate(options, flavor);
  }

  /** Like {@link #migrate(StoreOptions)} with the flavour given (tests of one flavour). */
  public static Migrated migrate(StoreOptions options, Flavor flavor) {
    try {
      Flyway flyway =
          Flyway.configure()
              .dataSource(options.jdbcUrl(), options.user(), options.password())
              .locations("classpath:db/migration/common", flavor.location())
              .cleanDisabled(true)
              .load();
      MigrateResult result = flyway.migrate();
      String version =
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : String.valueOf(result.initialSchemaVersion);
      return new Migrated(flavor, result.migrationsExecuted, version);
    } catch (FlywayException e) {
      throw new UnableToMigrateSchemaException(
          "cannot migrate the store schema at " + options.jdbcUrl() + ": " + e.getMessage(), e);
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
      return exists(s, "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'")
          ? Flavor.TIMESCALEDB
          : Flavor.POSTGRES;
    } catch (SQLException e) {
      throw new UnableToMigrateSchemaException(
          "cannot inspect the database at " + options.jdbcUrl() + ": " + e.getMessage(), e);
    }
  }

  private static boolean exists(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next();
    }
  }
}
