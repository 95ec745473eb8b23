package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.sink.Delivery;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreSchema.Flavor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectStoreSinkTest {
  @TempDir Path dir;

  private static List<WalRecord> log(long fromOffset, int count, String device) {
    List<WalRecord> records = new ArrayList<>();
    for (long o = fromOffset; o < fromOffset + count; o++) {
      StoreRecord r = Records.withSeq("gw-1", o, device, o, T0.plusMillis(o));
      records.add(new WalRecord(o, r.recordType(), 0, r.body()));
    }
    return records;
  }

  @Test
  void deliversInChunksAndRejectsPoisonByOffset() {
    StoreOptions db = TestStore.migratedDatabase();
    List<WalRecord> records = new ArrayList<>(log(0, 5, "dev-1"));
    records.add(new WalRecord(5, Records.garbage("gw-1", 5).recordType(), 0, new byte[] {'x'}));
    records.addAll(log(6, 4, "dev-1"));

    try (DirectStoreSink sink =
        new DirectStoreSink("gw-1", new StoreWriter(db, Flavor.POSTGRES), 3)) {
      Delivery d = sink.deliver(records);

      assertThat(sink.name()).isEqualTo("store");
      assertThat(d).isInstanceOf(Delivery.Delivered.class);
      assertThat(((Delivery.Delivered) d).rejected())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.offset()).isEqualTo(5);
                assertThat(r.reasonCode()).isEqualTo("unreadable_envelope");
              });
      assertThat(sink.deliver(records)).isInstanceOf(Delivery.Delivered.class);
    }
    assertThat(new StoreQueries(db).messageCount()).isEqualTo(9);
  }

  @Test
  void interruptedWhilePostgresIsDownThenDeliversEverythingOnceAfterItsRestart() {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("pg"))) {
      StoreOptions db = TestStore.database(postgres, "sink");
      StoreSchema.migrate(db);
      StoreQueries queries = new StoreQueries(db);
      try (DirectStoreSink sink =
          new DirectStoreSink("gw-1", new StoreWriter(db, Flavor.POSTGRES), 100)) {
        assertThat(sink.deliver(log(0, 50, "dev-1"))).isEqualTo(Delivery.Delivered.all());

        postgres.stop();
        List<WalRecord> during = log(50, 50, "dev-1");
        Delivery d = sink.deliver(during);
        assertThat(d).isInstanceOf(Delivery.Interrupted.class);
        assertThat(((Delivery.Interrupted) d).resumeOffset()).isEqualTo(50);
        assertThat(sink.deliver(during)).isInstanceOf(Delivery.Interrupted.class);

        postgres.start();
        // The dispatcher resumes at the offset it was given; part of what it resends may be
        // stored already in other scenarios, which the key absorbs.
        List<WalRecord> resend = new ArrayList<>(log(40, 10, "dev-1"));
        resend.addAll(during);
        assertThat(sink.deliver(resend)).isEqualTo(Delivery.Delivered.all());
      }
      assertThat(queries.messageCountsByDevice().get("dev-1"))
          .isEqualTo(new StoreQueries.DeviceCounts("dev-1", 100, 100, 0, OptionalLong.of(99)));
      assertThat(queries.duplicateMessages()).isZero();
      assertThat(queries.pointCount()).isEqualTo(200);
    }
  }
}
