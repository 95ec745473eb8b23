package io.auditgate.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.store.StoreOptions;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The pooled read model on a real PostgreSQL: answers as the per-call one does, never holds more
 * server connections than its size, closes them all on close, and fails like an unreachable store
 * when there is none.
 */
class PooledReadModelTest {
  private final StoreOptions db = FleetTestStore.migratedDatabase();

  @Test
  void concurrentReadsShareAtMostThePoolsConnectionsAndCloseReleasesThem() throws Exception {
    assertThat(
            Fleet.registry(db)
                .importDevices(
                    new StringReader("id,name\nb-1,One\nb-2,Two\nb-3,Three\n"), ImportFormat.CSV))
        .isEqualTo(new ImportResult.Imported(3, 0));
    FleetSummary direct = Fleet.readModel(db, Clock.systemUTC()).summary(Duration.ofHours(1));
    assertThat(direct.devices().total()).isEqualTo(3);

    CloseableFleetReadModel pooled = Fleet.pooledReadModel(db, Clock.systemUTC(), 2);
    ExecutorService callers = Executors.newFixedThreadPool(8);
    try {
      List<Future<FleetSummary>> answers = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        answers.add(callers.submit(() -> pooled.summary(Duration.ofHours(1))));
      }
      for (Future<FleetSummary> answer : answers) {
        assertThat(answer.get().devices()).isEqualTo(direct.devices());
      }
      long open = poolConnections();
      assertThat(open).as("idle connections stay for reuse, never more than 2").isBetween(1L, 2L);
    } finally {
      callers.shutdownNow();
      pooled.close();
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (poolConnections() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(poolConnections()).as("closed with the pool").isZero();
    assertThatThrownBy(() -> pooled.summary(Duration.ofHours(1)))
        .isInstanceOf(UnableToReadFleetException.class);
  }

  @Test
  void aPoolOverAnUnreachableStoreStartsAndItsCallsFailAsAnOutage() {
    StoreOptions nowhere =
        StoreOptions.of("jdbc:postgresql://127.0.0.1:1/none", "u", "p")
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (CloseableFleetReadModel pooled = Fleet.pooledReadModel(nowhere, Clock.systemUTC(), 1)) {
      assertThatThrownBy(() -> pooled.summary(Duration.ofHours(1)))
          .isInstanceOf(UnableToReadFleetException.class)
          .hasMessageContaining("127.0.0.1:1")
          .hasMessageNotContaining("password");
    }
    assertThatThrownBy(() -> Fleet.pooledReadModel(nowhere, Clock.systemUTC(), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private long poolConnections() {
    String database = db.jdbcUrl().substring(db.jdbcUrl().lastIndexOf('/') + 1).split("\\?")[0];
    return Long.parseLong(
        FleetTestStore.rows(
                db,
                "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                    + " 'auditgate-fleet-read' AND datname = '"
                    + database
                    + "'")
            .get(0)
            .get(0));
  }
}
