package io.auditgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.store.StoreSchema.Flavor;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StoreSchemaTest {
  @Test
  void migrationsApplyOnceAndAgainAreANoOp() {
    StoreOptions db = TestStore.freshDatabase();

    StoreSchema.Migrated first = StoreSchema.migrate(db);
    StoreSchema.Migrated again = StoreSchema.migrate(db);

    assertThat(first.flavor()).isEqualTo(Flavor.POSTGRES);
    assertThat(first.migrationsApplied()).isEqualTo(8);
    assertThat(first.version()).isEqualTo("40");
    assertThat(again.migrationsApplied()).isZero();
    assertThat(again.version()).isEqualTo("40");
    assertThat(
            Sql.rows(
                db,
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename NOT LIKE 'flyway%' ORDER BY 1"))
        .flatExtracting(row -> row)
        .containsExactly(
            "api_tokens",
            "device_connectivity",
            "device_profiles",
            "devices",
            "fleet_monitor",
            "fleet_state_changes",
            "gateway_events",
            "gateways",
            "latest_values",
            "messages",
            "points",
            "rollups");
    assertThat(Sql.count(db, "SELECT count(*) FROM pg_partitioned_table")).isEqualTo(1);
  }

  @Test
  void theFlavorOfAMigratedDatabaseStaysWhatItIs() {
    StoreOptions db = TestStore.migratedDatabase();

    assertThat(StoreSchema.detectFlavor(db)).isEqualTo(Flavor.POSTGRES);
  }

  @Test
  void anUnreachableDatabaseIsReportedWithItsAddress() {
    StoreOptions nowhere =
        StoreOptions.of("jdbc:postgresql://127.0.0.1:1/none", "postgres", "")
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));

    assertThatThrownBy(() -> StoreSchema.migrate(nowhere))
        .isInstanceOf(UnableToMigrateSchemaException.class)
        .hasMessageContaining("127.0.0.1:1");
  }
}
