package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.WriteOutcome.Written;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's two ways (COPY straight into the tables when nothing is stored yet; staging and the
 * merge otherwise) give the same store, whichever way each batch takes.
 */
class StoreWriterFastPathTest {
  private final StoreOptions db = TestStore.migratedDatabase();
  private final StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES);
  private final StoreQueries queries = new StoreQueries(db);

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void aNewBatchTakesTheFastPath() {
    Written w =
        (Written)
            writer.write(
                List.of(
                    Records.withSeq("gw-1", 0, "dev-1", 1, T0),
                    Records.withoutSeq("gw-1", 1, "dev-2", T0)));

    assertThat(w).isEqualTo(new Written(2, 0, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(1, 0));
    assertThat(queries.messageCount()).isEqualTo(2);
    assertThat(queries.pointCount()).isEqualTo(3);
    assertThat(duplicatesDiscarded()).containsExactly(List.of("dev-1", "0"), List.of("dev-2", "0"));
  }

  @Test
  void aBatchOverlappingStoredRowsFallsBackAndStoresExactlyTheNewOnes() {
    writer.write(
        List.of(
            Records.withSeq("gw-1", 0, "dev-1", 1, T0),
            Records.withSeq("gw-1", 1, "dev-1", 2, T0.plusSeconds(1)),
            Records.withoutSeq("gw-1", 2, "dev-2", T0)));

    // seq 2 of dev-1 and offset 2 of gw-1 are stored; the last record of the batch is the one
    // the COPY fails on, so the whole optimistic write has to go
    Written w =
        (Written)
            writer.write(
                List.of(
                    Records.withSeq("gw-1", 3, "dev-1", 3, T0.plusSeconds(2)),
                    Records.withSeq("gw-1", 4, "dev-3", 1, T0.plusSeconds(2)),
                    Records.withoutSeq("gw-1", 2, "dev-2", T0.plusSeconds(5)),
                    Records.withSeq("gw-2", 9, "dev-1", 2, T0.plusSeconds(9))));

    assertThat(w).isEqualTo(new Written(2, 2, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(1, 1));
    assertThat(Sql.rows(db, "SELECT device_id, seq, gateway_id FROM messages ORDER BY 1, 2, 3"))
        .containsExactly(
            List.of("dev-1", "1", "gw-1"),
            List.of("dev-1", "2", "gw-1"),
            List.of("dev-1", "3", "gw-1"),
            java.util.Arrays.asList("dev-2", null, "gw-1"),
            List.of("dev-3", "1", "gw-1"));
    assertThat(queries.pointCount()).isEqualTo(2 + 2 + 1 + 2 + 2);
    assertThat(queries.duplicateMessages()).isZero();
    assertThat(duplicatesDiscarded())
        .containsExactly(List.of("dev-1", "1"), List.of("dev-2", "1"), List.of("dev-3", "0"));
    // the resend through gw-2 was not stored, so it moved neither the device nor latest values
    assertThat(
            Sql.rows(db, "SELECT last_gateway_id, last_seq FROM devices WHERE device_id = 'dev-1'"))
        .containsExactly(List.of("gw-1", "3"));
    assertThat(queries.latestValues("dev-1").get("temp_c").seq()).hasValue(3);
  }

  @Test
  void aDuplicateInsideOneBatchIsMergedAndCounted() {
    StoreRecord a = Records.withSeq("gw-1", 1, "dev-1", 5, T0);

    Written w =
        (Written)
            writer.write(List.of(a, Records.withSeq("gw-1", 2, "dev-1", 6, T0.plusSeconds(1)), a));

    assertThat(w).isEqualTo(new Written(2, 1, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(0, 1));
    assertThat(queries.pointCount()).isEqualTo(4);
    assertThat(duplicatesDiscarded()).containsExactly(List.of("dev-1", "1"));
  }

  @Test
  void aReplayOfStoredBatchesCountsEveryMessageAsDiscardedAndMergesUntilBatchesAreNewAgain() {
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      batch.add(Records.withSeq("gw-1", i, "dev-" + (i % 3), i, T0.plusMillis(i)));
    }
    writer.write(batch);

    writer.write(batch);
    writer.write(batch.subList(0, 3));

    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(1, 2));
    assertThat(duplicatesDiscarded())
        .containsExactly(List.of("dev-0", "11"), List.of("dev-1", "11"), List.of("dev-2", "11"));

    // after a run of duplicates, the next batch merges; found all new, the one after is fast again
    assertThat(writer.write(List.of(Records.withSeq("gw-1", 100, "dev-0", 100, T0))))
        .isEqualTo(new Written(1, 0, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(1, 3));
    assertThat(writer.write(List.of(Records.withSeq("gw-1", 101, "dev-0", 101, T0))))
        .isEqualTo(new Written(1, 0, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(2, 3));
  }

  @Test
  void latestValuesNeverGoBackwardsWhateverOrderBatchesComeIn() {
    writer.write(List.of(value("dev-1", 10, T0.plusSeconds(60), 10.0)));
    // older by time, though a higher seq: not latest
    writer.write(List.of(value("dev-1", 11, T0, 11.0)));
    assertThat(latest("dev-1")).containsExactly(T0.plusSeconds(60).toString(), "10", "10");

    // the same time, a lower seq: not latest; a higher seq: latest
    writer.write(List.of(value("dev-1", 9, T0.plusSeconds(60), 9.0)));
    assertThat(latest("dev-1")).containsExactly(T0.plusSeconds(60).toString(), "10", "10");
    writer.write(List.of(value("dev-1", 12, T0.plusSeconds(60), 12.0)));
    assertThat(latest("dev-1")).containsExactly(T0.plusSeconds(60).toString(), "12", "12");

    // the same through the merge (each batch also resends a stored message)
    StoreRecord stored = value("dev-1", 10, T0.plusSeconds(60), 10.0);
    writer.write(List.of(stored, value("dev-1", 13, T0.plusSeconds(30), 13.0)));
    writer.write(List.of(stored, value("dev-1", 8, T0.plusSeconds(60), 8.0)));
    assertThat(latest("dev-1")).containsExactly(T0.plusSeconds(60).toString(), "12", "12");
    writer.write(List.of(stored, value("dev-1", 14, T0.plusSeconds(61), 14.0)));
    assertThat(latest("dev-1")).containsExactly(T0.plusSeconds(61).toString(), "14", "14");
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(4, 3));
  }

  @Test
  void rollupsEqualARecountFromPointsAfterFastAndMergedBatches() {
    List<List<StoreRecord>> batches = new ArrayList<>();
    long offset = 0;
    for (int b = 0; b < 6; b++) {
      List<StoreRecord> batch = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long seq = b * 40L + i;
        // spread over two hours and several minutes, two gateways, values exact in binary
        Instant at = T0.plusSeconds(seq * 47);
        String device = "dev-" + (seq % 4);
        String gateway = seq % 5 == 0 ? "gw-2" : "gw-1";
        batch.add(
            Records.message(
                gateway,
                offset++,
                Records.telemetry(
                    device,
                    gateway,
                    OptionalLong.of(seq),
                    at,
                    Map.of("temp_c", (seq % 17) * 0.5, "humidity", 40.0 + seq % 3))));
      }
      if (b % 3 == 1) {
        // a resend of the previous batch's first messages sends this one through the merge (and
        // the next one too: duplicates are expected to come in runs)
        batch.addAll(batches.get(b - 1).subList(0, 5));
      }
      batches.add(batch);
    }
    for (List<StoreRecord> batch : batches) {
      writer.write(batch);
    }
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(2, 4));

    List<List<String>> expected = Sql.rows(db, Sql.ROLLUPS_RECOUNTED);
    assertThat(expected).hasSizeGreaterThan(100);
    assertThat(Sql.rows(db, Sql.ROLLUPS)).isEqualTo(expected);
    assertThat(queries.pointCount()).isEqualTo(240 * 2);
  }

  @Test
  void aLargeBatchDecodedInPartsKeepsItsOrderAndPoisonIndexes() {
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      batch.add(
          i == 3 || i == 450
              ? Records.garbage("gw-1", i)
              : i == 301
                  ? Records.gatewayEvent(
                      "gw-1", i, io.auditgate.envelope.GatewayEvent.Kind.STARTED, T0)
                  : Records.withSeq("gw-1", i, "dev-" + (i % 7), i, T0.plusMillis(i)));
    }

    Written w = (Written) writer.write(batch);

    assertThat(w.stored()).isEqualTo(598);
    assertThat(w.poison())
        .extracting(WriteOutcome.Poison::index, WriteOutcome.Poison::reasonCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, "unreadable_envelope"),
            org.assertj.core.groups.Tuple.tuple(450, "unreadable_envelope"));
    assertThat(queries.messageCount()).isEqualTo(597);
    assertThat(Sql.count(db, "SELECT count(*) FROM gateway_events")).isEqualTo(1);
    assertThat(queries.latestValues("dev-" + (599 % 7)).get("temp_c").seq()).hasValue(599);
  }

  @Test
  void aValueTheDatabaseRefusesIsStillIsolatedOnTheFastPath() {
    Written w =
        (Written)
            writer.write(
                List.of(
                    Records.withSeq("gw-1", 0, "dev-1", 1, T0),
                    nulPayload("gw-1", 1, "dev-1", 2),
                    Records.withSeq("gw-1", 2, "dev-1", 3, T0.plusSeconds(1))));

    assertThat(w.stored()).isEqualTo(2);
    assertThat(w.duplicates()).isZero();
    assertThat(w.poison())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.index()).isEqualTo(1);
              assertThat(p.reasonCode()).isEqualTo("rejected_by_database");
            });
    // the batch failed on the fast path, then each record was tried alone on it
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(2, 0));
    assertThat(queries.pointCount()).isEqualTo(4);
    assertThat(queries.latestValues("dev-1").get("temp_c").seq()).hasValue(3);
    assertThat(
            Sql.rows(
                db,
                "SELECT count FROM rollups WHERE scope = 'device' AND resolution = 'hour'"
                    + " AND metric = 'temp_c'"))
        .containsExactly(List.of("2"));
  }

  @Test
  void connectivityEventsAreRecordedOnTheFastPath() {
    writer.write(
        List.of(
            Records.withSeq("gw-1", 1, "dev-1", 1, T0),
            DeviceConnectivityTest.connected("gw-1", 2, "dev-1", T0.plusSeconds(1)),
            DeviceConnectivityTest.disconnected(
                "gw-1", 3, "dev-1", T0.plusSeconds(3), "connection_lost", 0)));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(1, 0));
    assertThat(device("dev-1")).containsExactly("3", "1", "3");

    writer.write(List.of(DeviceConnectivityTest.connected("gw-1", 4, "dev-1", T0.plusSeconds(5))));

    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(2, 0));
    assertThat(device("dev-1")).containsExactly("5", "5", "3");
    assertThat(Sql.count(db, "SELECT count(*) FROM device_connectivity")).isEqualTo(3);
  }

  @Test
  void bothWaysLeaveTheSameStore() {
    // The INSERT staging mode always merges: the same records through it into a second database
    // must leave every table as the fast path left the first.
    StoreOptions other = TestStore.migratedDatabase();
    List<List<StoreRecord>> batches = new ArrayList<>();
    long offset = 0;
    for (int b = 0; b < 3; b++) {
      List<StoreRecord> batch = new ArrayList<>();
      // the middle batch is large: sent in parts while the helper decodes its second half
      int size = b == 1 ? 1_300 : 25;
      for (int i = 0; i < size; i++) {
        long n = b * 10_000L + i;
        Instant at = T0.plusSeconds(n * 31 % 600).plus(Duration.ofMinutes(b * 50L));
        batch.add(
            n % 7 == 0
                ? Records.withoutSeq("gw-" + (n % 2), offset++, "dev-" + (n % 5), at)
                : Records.withSeq("gw-" + (n % 2), offset++, "dev-" + (n % 5), n, at));
      }
      batch.add(DeviceConnectivityTest.connected("gw-0", offset++, "dev-1", T0.plusSeconds(b)));
      // sub-microsecond times: the binary COPY must round them as the server rounds text
      batch.add(Records.withSeq("gw-9", offset++, "dev-9", b * 2L, T0.plusNanos(123_456_789L + b)));
      batch.add(Records.withSeq("gw-9", offset++, "dev-9", b * 2L + 1, T0.plusNanos(1_500 + b)));
      batches.add(batch);
    }
    try (StoreWriter merging =
        new StoreWriter(other, Flavor.POSTGRES, StoreWriter.Staging.INSERT)) {
      for (List<StoreRecord> batch : batches) {
        assertThat(writer.write(batch)).isEqualTo(merging.write(batch));
      }
      assertThat(merging.paths()).isEqualTo(new StoreWriter.Paths(0, 3));
    }
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(3, 0));

    for (String table :
        List.of(
            "SELECT device_id, seq, gateway_id, wal_offset, schema, received_at, device_time,"
                + " trace_id, source_topic, transport, format, metric_count, tags, payload"
                + " FROM messages ORDER BY gateway_id, wal_offset",
            "SELECT * FROM points ORDER BY device_id, time, metric, seq",
            "SELECT * FROM latest_values ORDER BY device_id, metric",
            "SELECT * FROM devices ORDER BY device_id",
            "SELECT * FROM gateways ORDER BY gateway_id",
            "SELECT * FROM rollups ORDER BY scope, scope_id, resolution, bucket, metric",
            "SELECT gateway_id, wal_offset, device_id, at, event, reason, details"
                + " FROM device_connectivity ORDER BY gateway_id, wal_offset")) {
      List<List<String>> fast = Sql.rows(db, table);
      assertThat(fast).as(table).isNotEmpty();
      assertThat(fast).as(table).isEqualTo(Sql.rows(other, table));
    }
  }

  @Test
  void aLargeBatchEndingInAStoredMessageFallsBackAfterStreamingAndStoresExactlyTheNewOnes() {
    writer.write(List.of(Records.withSeq("gw-1", 0, "dev-1", 1, T0)));
    List<StoreRecord> batch = spread(1, 2_400, 10, T0);
    // a resend of the stored message, last: the COPY has taken every part before it fails
    batch.add(Records.withSeq("gw-1", 0, "dev-1", 1, T0));

    Written w = (Written) writer.write(batch);

    assertThat(w).isEqualTo(new Written(2_399, 1, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(1, 1));
    assertThat(queries.messageCount()).isEqualTo(2_400);
  }

  @Test
  void aLargeBatchWithAKeyTwiceIsMergedAndStoresItOnce() {
    List<StoreRecord> batch = spread(0, 2_400, 0, T0);
    // the same message again, far apart: in the first part and in the last
    batch.set(2_300, batch.get(100));

    Written w = (Written) writer.write(batch);

    assertThat(w).isEqualTo(new Written(2_399, 1, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(0, 1));
    assertThat(queries.messageCount()).isEqualTo(2_399);
  }

  @Test
  void aLargeBatchReachingANewDayGetsItsPartitionAndStaysOnTheFastPath() {
    Instant lateEvening = Instant.parse("2030-06-30T23:59:58Z");
    writer.write(List.of(Records.withSeq("gw-1", 0, "dev-1", 0, lateEvening)));
    // the last records fall on the next day, which has no partition yet
    List<StoreRecord> batch = spread(1, 2_401, 0, lateEvening);

    Written w = (Written) writer.write(batch);

    assertThat(w).isEqualTo(new Written(2_400, 0, List.of()));
    assertThat(writer.paths()).isEqualTo(new StoreWriter.Paths(2, 0));
    assertThat(
            Sql.rows(
                db, "SELECT tableoid::regclass::text, count(*) FROM points GROUP BY 1 ORDER BY 1"))
        .containsExactly(List.of("points_p20300630", "4000"), List.of("points_p20300701", "802"));
  }

  /**
   * Records {@code [from, to)} of gateway gw-1, one a millisecond from {@code start}, over 9
   * devices, seq {@code seqBase + i}: a batch of many parts.
   */
  private static List<StoreRecord> spread(int from, int to, long seqBase, Instant start) {
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = from; i < to; i++) {
      batch.add(Records.withSeq("gw-1", i, "dev-" + (i % 9), seqBase + i, start.plusMillis(i)));
    }
    return batch;
  }

  private List<List<String>> duplicatesDiscarded() {
    return Sql.rows(db, "SELECT device_id, duplicates_discarded FROM devices ORDER BY 1");
  }

  private List<String> latest(String device) {
    return Sql.rows(
            db,
            "SELECT to_char(time AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), seq, value"
                + " FROM latest_values WHERE metric = 'temp_c' AND device_id = '"
                + device
                + "'")
        .get(0);
  }

  private List<String> device(String device) {
    return Sql.rows(
            db,
            "SELECT extract(epoch FROM last_activity_at - timestamptz '"
                + T0
                + "')::int, extract(epoch FROM last_connect_at - timestamptz '"
                + T0
                + "')::int, extract(epoch FROM last_disconnect_at - timestamptz '"
                + T0
                + "')::int FROM devices WHERE device_id = '"
                + device
                + "'")
        .get(0);
  }

  private static StoreRecord value(String device, long seq, Instant at, double temp) {
    return Records.message(
        "gw-1",
        seq,
        Records.telemetry(device, "gw-1", OptionalLong.of(seq), at, Map.of("temp_c", temp)));
  }

  /** Valid JSON and a valid envelope, but jsonb cannot hold U+0000: only the database knows. */
  private static StoreRecord nulPayload(String gateway, long offset, String device, long seq) {
    return Records.message(
        gateway,
        offset,
        new Telemetry(
            device,
            gateway,
            OptionalLong.of(seq),
            Optional.empty(),
            T0,
            Map.of("temp_c", 1.0),
            Map.of(),
            Optional.of("{\"s\":\"a\\u0000b\"}"),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/telemetry",
            Telemetry.Format.SEED_JSON));
  }
}
