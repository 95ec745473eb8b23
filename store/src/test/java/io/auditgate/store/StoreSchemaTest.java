package io.auditgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.store.StoreSchema.Flavor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreSchemaTest {
  @Test
  void migrationsApplyOnceAndAgainAreANoOp() {
    StoreOptions db = TestStore.freshDatabase();

    StoreSchema.Migrated first = StoreSchema.migrate(db);
    StoreSchema.Migrated again = StoreSchema.migrate(db);

    assertThat(first.flavor()).isEqualTo(Flavor.POSTGRES);
    assertThat(first.migrationsApplied()).isEqualTo(17);
    assertThat(first.version()).isEqualTo("56");
    assertThat(again.migrationsApplied()).isZero();
    assertThat(again.version()).isEqualTo("56");
    assertThat(
            Sql.rows(
                db,
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                    + " AND tablename NOT LIKE 'flyway%' ORDER BY 1"))
        .flatExtracting(row -> row)
        .containsExactly(
            "api_tokens",
            "certificate_alert_deliveries",
            "certificate_alerts",
            "certificate_bindings",
            "certificate_blobs",
            "certificate_collector_watermarks",
            "certificate_endpoint_scans",
            "certificate_events",
            "certificate_issuances",
            "certificate_renewal_history",
            "certificate_renewals",
            "certificate_revocations",
            "certificate_sightings",
            "certificates",
            "device_connectivity",
            "device_profiles",
            "devices",
            "enrolment_tokens",
            "fleet_monitor",
            "fleet_state_changes",
            "gateway_events",
            "gateways",
            "latest_values",
            "messages",
            "points",
            "published_crls",
            "rollup_deltas",
            "rollups_folded");
    assertThat(Sql.count(db, "SELECT count(*) FROM pg_partitioned_table")).isEqualTo(1);
    // room for HOT updates of the rows every batch updates (V26, V27)
    assertThat(
            Sql.rows(
                db,
                "SELECT relname, array_to_string(reloptions, ',') FROM pg_class"
                    + " WHERE relname IN ('latest_values', 'rollups_folded') ORDER BY 1"))
        .containsExactly(
            List.of("latest_values", "fillfactor=70"), List.of("rollups_folded", "fillfactor=70"));
    assertThat(
            Sql.rows(
                db,
                "SELECT data_type, column_default FROM information_schema.columns"
                    + " WHERE table_name = 'devices' AND column_name = 'duplicates_discarded'"))
        .as("V25: the duplicate counter")
        .containsExactly(List.of("bigint", "0"));
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
