package io.auditgate.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.store.StoreSchema.Flavor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreMaintenanceTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  private final StoreOptions db = TestStore.migratedDatabase();
  private final StoreMaintenance maintenance =
      new StoreMaintenance(db, Flavor.POSTGRES, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void createsPartitionsAheadIdempotently() {
    maintenance.createPartitionsAhead(2);
    maintenance.createPartitionsAhead(2);

    assertThat(partitions())
        .containsExactly("points_p20261128", "points_p20261129", "points_p20261130");
  }

  @Test
  void retentionDropsWholeOldDaysAndOldMessagesAndRollups() {
    try (StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES)) {
      writer.write(
          List.of(
              Records.withSeq("gw-1", 0, "dev-1", 1, Instant.parse("2026-11-20T10:00:00Z")),
              Records.withSeq("gw-1", 1, "dev-1", 2, Instant.parse("2026-11-21T06:00:00Z")),
              Records.withSeq("gw-1", 2, "dev-1", 3, Instant.parse("2026-11-27T10:00:00Z"))));
    }

    // Keep 7 days: the cutoff is 2026-11-21T12:00Z, so 11-20 goes whole and 11-21 stays whole.
    StoreMaintenance.RetentionReport report = maintenance.applyRetention(Duration.ofDays(7));

    assertThat(report.droppedPartitions()).containsExactly("points_p20261120");
    assertThat(report.deletedMessages()).isEqualTo(2);
    assertThat(report.deletedRollups()).isPositive();
    assertThat(partitions()).containsExactly("points_p20261121", "points_p20261127");
    assertThat(Sql.count(db, "SELECT count(*) FROM points")).isEqualTo(4);
    assertThat(Sql.count(db, "SELECT count(*) FROM messages")).isEqualTo(1);
    assertThat(Sql.count(db, "SELECT count(*) FROM rollups WHERE bucket < '2026-11-21 12:00Z'"))
        .isZero();

    // The writer notices the dropped partition and files a late point in a new one.
    try (StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES)) {
      writer.write(
          List.of(Records.withSeq("gw-1", 3, "dev-1", 4, Instant.parse("2026-11-20T11:00:00Z"))));
    }
    assertThat(partitions()).contains("points_p20261120");
  }

  private List<String> partitions() {
    return Sql.rows(
            db,
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'points'::regclass ORDER BY 1")
        .stream()
        .map(row -> row.get(0))
        .toList();
  }
}
