package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.store.StoreSchema.Flavor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Rollups are kept as deltas per batch and folded into the stored buckets later (V56): what the
 * view {@code rollups} shows is exact at every moment, before and after any fold, and folds by
 * several writers at once count every delta exactly once.
 */
class RollupFoldTest {
  private final StoreOptions db = TestStore.migratedDatabase();

  @Test
  void theViewIsExactBeforeAndAfterAFold() {
    try (StoreWriter writer =
        new StoreWriter(db, Flavor.POSTGRES, StoreWriter.Staging.COPY, Duration.ofHours(1))) {
      // The first batch is folded right after it commits; the next ones, within the hour, wait.
      for (int b = 0; b < 4; b++) {
        assertThat(writer.write(batch("gw-1", "dev-", b, 0)))
            .isInstanceOf(WriteOutcome.Written.class);
      }
      assertThat(Sql.count(db, "SELECT count(*) FROM rollup_deltas")).isPositive();
      List<List<String>> before = Sql.rows(db, Sql.ROLLUPS);
      assertThat(before).isEqualTo(Sql.rows(db, Sql.ROLLUPS_RECOUNTED)).hasSizeGreaterThan(20);

      long folded = writer.foldRollups();

      assertThat(folded).isPositive();
      assertThat(Sql.count(db, "SELECT count(*) FROM rollup_deltas")).isZero();
      assertThat(Sql.rows(db, Sql.ROLLUPS)).isEqualTo(before);
      assertThat(writer.foldRollups()).as("nothing left to fold").isZero();
    }
  }

  @Test
  void foldsByWritersAtWorkTogetherCountEveryDeltaOnce() throws Exception {
    try (StoreWriter a = new StoreWriter(db, Flavor.POSTGRES);
        StoreWriter b = new StoreWriter(db, Flavor.POSTGRES);
        StoreWriter folder = new StoreWriter(db, Flavor.POSTGRES)) {
      // Two writers on shared buckets (same gateway, same minutes), a third folding all along.
      CompletableFuture<Void> first = CompletableFuture.runAsync(() -> writeBatches(a, "a-", 0));
      CompletableFuture<Void> second =
          CompletableFuture.runAsync(() -> writeBatches(b, "b-", 1_000_000));
      CompletableFuture<Long> folds =
          CompletableFuture.supplyAsync(
              () -> {
                long total = 0;
                while (!first.isDone() || !second.isDone()) {
                  total += folder.foldRollups();
                }
                return total;
              });
      first.get();
      second.get();
      folds.get();
      a.foldRollups();
      b.foldRollups();

      assertThat(Sql.count(db, "SELECT count(*) FROM rollup_deltas")).isZero();
      assertThat(Sql.rows(db, Sql.ROLLUPS)).isEqualTo(Sql.rows(db, Sql.ROLLUPS_RECOUNTED));
      assertThat(Sql.count(db, "SELECT count(*) FROM messages")).isEqualTo(2 * 20 * 30);
    }
  }

  private static void writeBatches(StoreWriter writer, String devicePrefix, long offsetBase) {
    for (int b = 0; b < 20; b++) {
      WriteOutcome outcome = writer.write(batch("gw-1", devicePrefix, b, offsetBase));
      assertThat(outcome).isEqualTo(new WriteOutcome.Written(30, 0, List.of()));
    }
  }

  /** 30 messages of 3 devices over a few minutes; values exact in binary. */
  private static List<StoreRecord> batch(
      String gateway, String devicePrefix, int b, long offsetBase) {
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      long seq = b * 30L + i;
      Instant at = T0.plusSeconds(seq * 7);
      batch.add(
          Records.message(
              gateway,
              offsetBase + seq,
              Records.telemetry(
                  devicePrefix + (seq % 3),
                  gateway,
                  OptionalLong.of(seq),
                  at,
                  Map.of("temp_c", (seq % 17) * 0.5, "humidity", 40.0 + seq % 3))));
    }
    return batch;
  }
}
