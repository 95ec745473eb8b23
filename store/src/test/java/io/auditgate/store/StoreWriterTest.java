package io.auditgate.store;

import static io.auditgate.store.Records.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.envelope.GatewayEvent;
import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.WriteOutcome.Written;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StoreWriterTest {
  private final StoreOptions db = TestStore.migratedDatabase();
  private final StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES);
  private final StoreQueries queries = new StoreQueries(db);

  @AfterEach
  void close() {
    writer.close();
  }

  @Test
  void aBatchWrittenTwiceIsStoredOnce() {
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(Records.withSeq("gw-1", i, "dev-" + (i % 3), i, T0.plusMillis(i)));
    }

    Written first = (Written) writer.write(batch);
    Written second = (Written) writer.write(batch);

    assertThat(first).isEqualTo(new Written(100, 0, List.of()));
    assertThat(second).isEqualTo(new Written(0, 100, List.of()));
    assertThat(queries.messageCount()).isEqualTo(100);
    assertThat(queries.pointCount()).isEqualTo(200);
    assertThat(queries.duplicateMessages()).isZero();
    assertThat(queries.messageCountsByDevice().get("dev-0"))
        .isEqualTo(new StoreQueries.DeviceCounts("dev-0", 34, 34, 0, OptionalLong.of(99)));
  }

  @Test
  void theSameSeqResentLaterThroughAnotherGatewayIsADuplicate() {
    writer.write(List.of(Records.withSeq("gw-1", 7, "dev-1", 42, T0)));

    Written resent =
        (Written)
            writer.write(
                List.of(Records.withSeq("gw-2", 900, "dev-1", 42, T0.plus(Duration.ofDays(3)))));

    assertThat(resent).isEqualTo(new Written(0, 1, List.of()));
    assertThat(queries.messageCount()).isEqualTo(1);
    assertThat(Sql.rows(db, "SELECT gateway_id, received_at FROM messages"))
        .containsExactly(List.of("gw-1", "2026-11-28 10:00:00+00"));
  }

  @Test
  void duplicatesInsideOneBatchAreStoredOnce() {
    StoreRecord a = Records.withSeq("gw-1", 1, "dev-1", 5, T0);
    StoreRecord sameSeqOtherOffset = Records.withSeq("gw-1", 2, "dev-1", 5, T0.plusSeconds(1));
    StoreRecord noSeq = Records.withoutSeq("gw-1", 3, "dev-1", T0);

    Written w = (Written) writer.write(List.of(a, a, sameSeqOtherOffset, noSeq, noSeq));

    assertThat(w).isEqualTo(new Written(2, 3, List.of()));
    assertThat(queries.pointCount()).isEqualTo(3);
    assertThat(Sql.rows(db, "SELECT wal_offset FROM messages ORDER BY 1"))
        .containsExactly(List.of("1"), List.of("3"));
  }

  @Test
  void messagesWithoutSeqAreKeyedByGatewayAndOffset() {
    writer.write(
        List.of(
            Records.withoutSeq("gw-1", 10, "dev-1", T0),
            Records.withoutSeq("gw-2", 10, "dev-1", T0)));

    Written again =
        (Written)
            writer.write(
                List.of(
                    Records.withoutSeq("gw-1", 10, "dev-1", T0.plusSeconds(60)),
                    Records.withoutSeq("gw-1", 11, "dev-1", T0)));

    assertThat(again).isEqualTo(new Written(1, 1, List.of()));
    assertThat(queries.messageCountsByDevice().get("dev-1"))
        .isEqualTo(new StoreQueries.DeviceCounts("dev-1", 3, 0, 3, OptionalLong.empty()));
  }

  @Test
  void aDuplicateWithALaterTimeDoesNotHideANewMessagesLatestValue() {
    writer.write(List.of(Records.withSeq("gw-1", 0, "dev-1", 5, T0)));

    // seq 5 resent with a later arrival time (not stored again) and the batch's only new message,
    // seq 6, earlier than the resend: seq 6 is the latest stored value
    writer.write(
        List.of(
            Records.withSeq("gw-2", 0, "dev-1", 5, T0.plus(Duration.ofDays(3))),
            Records.withSeq("gw-2", 1, "dev-1", 6, T0.plus(Duration.ofDays(2)))));

    StoreQueries.LatestValue latest = queries.latestValues("dev-1").get("temp_c");
    assertThat(latest.seq()).hasValue(6);
    assertThat(latest.time()).isEqualTo(T0.plus(Duration.ofDays(2)));
  }

  @Test
  void latestValuesPerMetricComeFromWhicheverNewMessageIsLatestForThatMetric() {
    writer.write(
        List.of(
            Records.message(
                "gw-1",
                0,
                Records.telemetry(
                    "dev-1", "gw-1", OptionalLong.of(1), T0.plusSeconds(5), Map.of("temp_c", 1.0))),
            Records.message(
                "gw-1",
                1,
                Records.telemetry(
                    "dev-1",
                    "gw-1",
                    OptionalLong.of(2),
                    T0,
                    Map.of("temp_c", 2.0, "humidity", 40.0)))));

    assertThat(queries.latestValues("dev-1").get("temp_c").value()).isEqualTo(1.0);
    assertThat(queries.latestValues("dev-1").get("humidity").value()).isEqualTo(40.0);
  }

  @Test
  void pointsLatestValuesDevicesAndRollupsFollowTheNewMessagesOnly() {
    Instant m = T0; // 10:00:00
    writer.write(
        List.of(
            Records.withSeq("gw-1", 0, "dev-1", 1, m),
            Records.withSeq("gw-1", 1, "dev-1", 3, m.plusSeconds(10)),
            Records.withSeq("gw-1", 2, "dev-1", 2, m.plusSeconds(70)),
            Records.withSeq("gw-2", 0, "dev-2", 10, m.plusSeconds(5))));
    // A resend must not count twice in a rollup, and an older value must not become latest.
    writer.write(
        List.of(
            Records.withSeq("gw-1", 1, "dev-1", 3, m.plusSeconds(10)),
            Records.withSeq("gw-1", 3, "dev-1", 0, m.minusSeconds(3600))));

    assertThat(
            Sql.rows(
                db,
                "SELECT device_id, metric, value, seq FROM points WHERE metric = 'temp_c'"
                    + " ORDER BY device_id, time"))
        .containsExactly(
            List.of("dev-1", "temp_c", "0", "0"),
            List.of("dev-1", "temp_c", "1", "1"),
            List.of("dev-1", "temp_c", "3", "3"),
            List.of("dev-1", "temp_c", "2", "2"),
            List.of("dev-2", "temp_c", "10", "10"));
    StoreQueries.LatestValue latest = queries.latestValues("dev-1").get("temp_c");
    assertThat(latest.value()).isEqualTo(2.0);
    assertThat(latest.time()).isEqualTo(m.plusSeconds(70));
    assertThat(latest.seq()).hasValue(2);
    assertThat(queries.latestValues("dev-1")).containsOnlyKeys("temp_c", "humidity");

    assertThat(
            Sql.rows(
                db,
                "SELECT resolution, to_char(bucket AT TIME ZONE 'UTC', 'HH24:MI'), count, min,"
                    + " max, sum, avg FROM rollups WHERE scope = 'device' AND scope_id = 'dev-1'"
                    + " AND metric = 'temp_c' ORDER BY resolution, bucket"))
        .containsExactly(
            List.of("hour", "09:00", "1", "0", "0", "0", "0"),
            List.of("hour", "10:00", "3", "1", "3", "6", "2"),
            List.of("minute", "09:00", "1", "0", "0", "0", "0"),
            List.of("minute", "10:00", "2", "1", "3", "4", "2"),
            List.of("minute", "10:01", "1", "2", "2", "2", "2"));
    assertThat(
            Sql.rows(
                db,
                "SELECT count, sum FROM rollups WHERE scope = 'gateway' AND scope_id = 'gw-1'"
                    + " AND resolution = 'hour' AND metric = 'humidity'"
                    + " AND bucket = '2026-11-28 10:00:00+00'"))
        .containsExactly(List.of("3", "120"));

    assertThat(
            Sql.rows(
                db,
                "SELECT device_id, last_gateway_id, last_seq, status,"
                    + " to_char(last_telemetry_at AT TIME ZONE 'UTC', 'HH24:MI:SS'),"
                    + " to_char(first_seen_at AT TIME ZONE 'UTC', 'HH24:MI:SS')"
                    + " FROM devices ORDER BY 1"))
        .containsExactly(
            List.of("dev-1", "gw-1", "2", "active", "10:01:10", "09:00:00"),
            List.of("dev-2", "gw-2", "10", "active", "10:00:05", "10:00:05"));
    assertThat(Sql.rows(db, "SELECT gateway_id FROM gateways ORDER BY 1"))
        .containsExactly(List.of("gw-1"), List.of("gw-2"));
  }

  @Test
  void pointsOfAnyDayGetAPartition() {
    Instant old = Instant.parse("2025-01-15T23:59:59Z");
    Instant newer = Instant.parse("2027-03-01T00:00:00Z");

    writer.write(
        List.of(
            Records.withSeq("gw-1", 0, "dev-1", 1, old),
            Records.withSeq("gw-1", 1, "dev-1", 2, newer)));

    assertThat(
            Sql.rows(
                db, "SELECT tableoid::regclass::text, count(*) FROM points GROUP BY 1 ORDER BY 1"))
        .containsExactly(List.of("points_p20250115", "2"), List.of("points_p20270301", "2"));
  }

  @Test
  void aDeviceClockFarFromTheArrivalCreatesNoPartitionOutsideTheWindow() {
    Instant arrival = T0; // 2026-11-28T10:00Z
    writer.write(
        List.of(
            Records.withDeviceTime(
                "gw-1", 0, "dev-1", 1, arrival, Instant.parse("2003-01-01T00:00:00Z")),
            Records.withDeviceTime(
                "gw-1", 1, "dev-1", 2, arrival, Instant.parse("2031-06-01T00:00:00Z")),
            Records.withDeviceTime(
                "gw-1", 2, "dev-1", 3, arrival, Instant.parse("2199-12-31T00:00:00Z")),
            Records.withDeviceTime(
                "gw-1", 3, "dev-1", 4, arrival, arrival.minus(Duration.ofDays(31))),
            Records.withDeviceTime(
                "gw-1", 4, "dev-1", 5, arrival, arrival.plus(Duration.ofHours(25))),
            // within the window: the device's time
            Records.withDeviceTime(
                "gw-1", 5, "dev-1", 6, arrival, arrival.minus(Duration.ofDays(29))),
            Records.withDeviceTime(
                "gw-1", 6, "dev-1", 7, arrival, arrival.plus(Duration.ofHours(23)))));

    assertThat(
            Sql.rows(
                db,
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " WHERE i.inhparent = 'points'::regclass ORDER BY 1"))
        .containsExactly(
            List.of("points_p20261030"), List.of("points_p20261128"), List.of("points_p20261129"));
    assertThat(
            Sql.rows(
                db,
                "SELECT p.seq, p.time = m.received_at, m.device_time FROM points p"
                    + " JOIN messages m USING (device_id, seq) ORDER BY p.seq"))
        .containsExactly(
            List.of("1", "t", "2003-01-01 00:00:00+00"),
            List.of("2", "t", "2031-06-01 00:00:00+00"),
            List.of("3", "t", "2199-12-31 00:00:00+00"),
            List.of("4", "t", "2026-10-28 10:00:00+00"),
            List.of("5", "t", "2026-11-29 11:00:00+00"),
            List.of("6", "f", "2026-10-30 10:00:00+00"),
            List.of("7", "f", "2026-11-29 09:00:00+00"));
  }

  @Test
  void poisonIsReportedAndTheRestIsStored() {
    StoreRecord unknownType =
        new StoreRecord("gw-1", 3, (byte) 99, "{}".getBytes(StandardCharsets.UTF_8));

    Written w =
        (Written)
            writer.write(
                List.of(
                    Records.withSeq("gw-1", 0, "dev-1", 1, T0),
                    Records.garbage("gw-1", 1),
                    Records.withSeq("gw-1", 2, "dev-1", 2, T0),
                    unknownType));

    assertThat(w.stored()).isEqualTo(2);
    assertThat(w.duplicates()).isZero();
    assertThat(w.poison())
        .extracting(WriteOutcome.Poison::index, WriteOutcome.Poison::reasonCode)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, "unreadable_envelope"),
            org.assertj.core.groups.Tuple.tuple(3, "unknown_record_type"));
  }

  @Test
  void aRecordThePostgresRefusesIsPoisonAndTheBatchStillCommits() {
    // Valid JSON and a valid envelope, but jsonb cannot hold U+0000: only the database knows.
    StoreRecord nul =
        Records.message(
            "gw-1",
            1,
            new io.auditgate.core.telemetry.Telemetry(
                "dev-1",
                "gw-1",
                OptionalLong.of(2),
                java.util.Optional.empty(),
                T0,
                Map.of("temp_c", 1.0),
                Map.of(),
                java.util.Optional.of("{\"s\":\"a\\u0000b\"}"),
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "devices/dev-1/telemetry",
                io.auditgate.core.telemetry.Telemetry.Format.SEED_JSON));

    Written w =
        (Written)
            writer.write(
                List.of(
                    Records.withSeq("gw-1", 0, "dev-1", 1, T0),
                    nul,
                    Records.withSeq("gw-1", 2, "dev-1", 3, T0)));

    assertThat(w.stored()).isEqualTo(2);
    assertThat(w.poison())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.index()).isEqualTo(1);
              assertThat(p.reasonCode()).isEqualTo("rejected_by_database");
              assertThat(p.detail()).contains("SQLSTATE 22");
            });
    assertThat(queries.messageCount()).isEqualTo(2);
  }

  @Test
  void unavailableDuringTheRecordByRecordRetryMayLeavePartCommittedAndWritingAgainIsSafe() {
    // A failure that is not about the data (serialization_failure, class 40) for one device only,
    // so that it strikes in the middle of the record-by-record retry.
    Sql.execute(
        db,
        "CREATE FUNCTION fail_for_dev_late() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF NEW.device_id = 'dev-late' THEN"
            + " RAISE EXCEPTION 'not now' USING ERRCODE = '40001'; END IF;"
            + " RETURN NEW; END $$");
    Sql.execute(
        db,
        "CREATE TRIGGER fail_for_dev_late BEFORE INSERT ON messages FOR EACH ROW"
            + " EXECUTE FUNCTION fail_for_dev_late()");
    List<StoreRecord> batch =
        List.of(
            Records.withSeq("gw-1", 0, "dev-1", 1, T0),
            nulPayload("gw-1", 1, "dev-1", 2),
            Records.withSeq("gw-1", 2, "dev-1", 3, T0),
            Records.withSeq("gw-1", 3, "dev-late", 1, T0));

    WriteOutcome first = writer.write(batch);

    assertThat(first).isInstanceOf(WriteOutcome.Unavailable.class);
    assertThat(((WriteOutcome.Unavailable) first).reason()).contains("40001");
    // partially committed: the records the retry got through before the failure
    assertThat(Sql.rows(db, "SELECT device_id, seq FROM messages ORDER BY 1, 2"))
        .containsExactly(List.of("dev-1", "1"), List.of("dev-1", "3"));

    Sql.execute(db, "DROP TRIGGER fail_for_dev_late ON messages");
    Written again = (Written) writer.write(batch);

    assertThat(again.stored()).isEqualTo(1);
    assertThat(again.duplicates()).isEqualTo(2);
    assertThat(again.poison())
        .extracting(WriteOutcome.Poison::index, WriteOutcome.Poison::reasonCode)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "rejected_by_database"));
    assertThat(queries.messageCount()).isEqualTo(3);
    assertThat(queries.pointCount()).isEqualTo(6);
    assertThat(queries.duplicateMessages()).isZero();
  }

  /** Valid JSON and a valid envelope, but jsonb cannot hold U+0000: only the database knows. */
  private static StoreRecord nulPayload(String gateway, long offset, String device, long seq) {
    return Records.message(
        gateway,
        offset,
        new io.auditgate.core.telemetry.Telemetry(
            device,
            gateway,
            OptionalLong.of(seq),
            java.util.Optional.empty(),
            T0,
            Map.of("temp_c", 1.0),
            Map.of(),
            java.util.Optional.of("{\"s\":\"a\\u0000b\"}"),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "devices/" + device + "/telemetry",
            io.auditgate.core.telemetry.Telemetry.Format.SEED_JSON));
  }

  @Test
  void gatewayEventsAreStoredOnceByGatewayAndOffset() {
    StoreRecord recovered = Records.gatewayEvent("gw-1", 5, GatewayEvent.Kind.RECOVERED, T0);
    StoreRecord started =
        Records.gatewayEvent("gw-1", 6, GatewayEvent.Kind.STARTED, T0.plusSeconds(1));

    Written first = (Written) writer.write(List.of(recovered, started));
    Written again = (Written) writer.write(List.of(recovered));

    assertThat(first).isEqualTo(new Written(2, 0, List.of()));
    assertThat(again).isEqualTo(new Written(0, 1, List.of()));
    assertThat(queries.gatewayEvents("gw-1", 10))
        .extracting(
            StoreQueries.StoredGatewayEvent::kind, StoreQueries.StoredGatewayEvent::attributesJson)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("recovered", "{\"bytes_truncated\": \"17\"}"),
            org.assertj.core.groups.Tuple.tuple("started", "{\"bytes_truncated\": \"17\"}"));
    assertThat(Sql.rows(db, "SELECT last_event_kind FROM gateways WHERE gateway_id = 'gw-1'"))
        .containsExactly(List.of("started"));
  }

  @Test
  void anUnreachableDatabaseIsUnavailableNotAnException() {
    StoreOptions nowhere =
        StoreOptions.of("jdbc:postgresql://127.0.0.1:1/none", "postgres", "")
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (StoreWriter w = new StoreWriter(nowhere, Flavor.POSTGRES)) {
      WriteOutcome outcome = w.write(List.of(Records.withSeq("gw-1", 0, "dev-1", 1, T0)));

      assertThat(outcome).isInstanceOf(WriteOutcome.Unavailable.class);
      assertThat(((WriteOutcome.Unavailable) outcome).reason()).contains("08001");
    }
  }
}
