package io.auditgate.fleet;

import static io.auditgate.fleet.StoreRecords.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.envelope.GatewayEvent.Kind;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.StoreWriter;
import io.auditgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The read model's queries over rows the real StoreWriter wrote and the monitor evaluated. */
class FleetReadModelTest {
  private static final String CERT_A = "a".repeat(64);
  private static final String CERT_B = "b".repeat(64);

  private final StoreOptions db = FleetTestStore.migratedDatabase();
  private final StoreWriter writer = new StoreWriter(db, Flavor.POSTGRES);
  private final MutableClock clock = new MutableClock(T0.plusSeconds(600));
  private final FleetReadModel fleet = Fleet.readModel(db, clock);
  private long offset;

  @BeforeEach
  void fleetOfThree() {
    List<StoreRecord> batch = new ArrayList<>();
    batch.add(StoreRecords.gatewayEvent("gw-a", next(), Kind.STARTED, T0, Map.of()));
    // dev-1 on gw-a: seq 1..10 every 30 s, seq 7 lost; its clock 2 s behind
    for (int seq = 1; seq <= 10; seq++) {
      if (seq == 7) {
        continue;
      }
      Instant at = T0.plusSeconds(30L * seq);
      batch.add(
          StoreRecords.telemetry(
              "gw-a",
              next(),
              "dev-1",
              seq,
              at,
              Optional.of(at.minusSeconds(2)),
              Map.of("temp_c", (double) seq, "humidity", 40.0)));
    }
    batch.add(
        StoreRecords.connected(
            "gw-a",
            next(),
            "dev-1",
            T0.plusSeconds(10),
            certificate(CERT_A, T0.plusSeconds(86_400L * 10))));
    // dev-2 on gw-b: a little telemetry, then a disconnect
    batch.add(StoreRecords.reading("gw-b", next(), "dev-2", 1, T0.plusSeconds(60)));
    batch.add(
        StoreRecords.connected(
            "gw-b",
            next(),
            "dev-2",
            T0.plusSeconds(50),
            certificate(CERT_B, T0.minusSeconds(3600))));
    batch.add(
        StoreRecords.disconnected("gw-b", next(), "dev-2", T0.plusSeconds(100), "connection_lost"));
    batch.add(
        StoreRecords.gatewayEvent(
            "gw-b",
            next(),
            Kind.HEARTBEAT,
            T0.plusSeconds(590),
            Map.of(
                "kafka.backlog_records",
                "12",
                "kafka.oldest_unsent_ms",
                "1500",
                "kafka.state",
                "interrupted",
                "wal_records",
                "40")));
    batch.add(
        StoreRecords.gatewayEvent(
            "gw-b",
            next(),
            Kind.UPSTREAM_INTERRUPTED,
            T0.plusSeconds(200),
            Map.of("sink", "kafka", "reason", "broker down")));
    batch.add(
        StoreRecords.gatewayEvent("gw-a", next(), Kind.HEARTBEAT, T0.plusSeconds(595), Map.of()));
    writer.write(batch);
    FleetRegistry registry = Fleet.registry(db);
    registry.registerDevice(
        new DeviceRegistration(
            "dev-1",
            Optional.of("Kitchen board"),
            "b-l475e-iot01a",
            Optional.of("lab"),
            Optional.of("1.2.0"),
            Optional.of(CERT_A),
            Map.of("site", "lab", "floor", "2")));
    registry.registerDevice(DeviceRegistration.of("dev-3"));
    new FleetStateMonitor(db, clock, FleetStateMonitor.Settings.defaults()).evaluateOnce();
  }

  @AfterEach
  void close() {
    writer.close();
  }

  private long next() {
    return ++offset;
  }

  private static String certificate(String sha, Instant notAfter) {
    return ",\"certificate_sha256\":\""
        + sha
        + "\",\"certificate_subject\":\"CN=board\",\"certificate_not_after\":\""
        + notAfter
        + "\"";
  }

  @Test
  void theSummaryCountsStatesAndSamples() {
    FleetSummary summary = fleet.summary(Duration.ofHours(1));

    // dev-1: last telemetry at +300 s, b-l475e profile stale after 30 s -> stale at +600
    assertThat(summary.devices()).isEqualTo(new FleetSummary.DeviceCounts(3, 0, 1, 1, 1));
    assertThat(summary.gateways()).isEqualTo(new FleetSummary.GatewayCounts(2, 1, 0, 0, 1, 12));
    assertThat(summary.samplesInWindow()).isEqualTo(9 * 2 + 1);
    assertThat(summary.stateChangesInWindow()).isEqualTo(5);
    assertThat(summary.lastEvaluationAt()).contains(T0.plusSeconds(600));
  }

  @Test
  void devicesAreFilteredSortedAndPaged() {
    assertThat(fleet.devices(DeviceQuery.all()).items())
        .extracting(DeviceView::id)
        .containsExactly("dev-1", "dev-2", "dev-3");
    assertThat(fleet.devices(DeviceQuery.all().withState(DeviceState.OFFLINE)).items())
        .extracting(DeviceView::id)
        .containsExactly("dev-2");
    assertThat(fleet.devices(DeviceQuery.all().withGateway("gw-a")).items())
        .extracting(DeviceView::id)
        .containsExactly("dev-1");
    assertThat(fleet.devices(DeviceQuery.all().withTag("site", "lab")).items())
        .extracting(DeviceView::id)
        .containsExactly("dev-1");
    assertThat(fleet.devices(DeviceQuery.all().withText("kitchen")).items())
        .extracting(DeviceView::id)
        .containsExactly("dev-1");
    assertThat(fleet.devices(DeviceQuery.all().withProfile("default")).items())
        .extracting(DeviceView::id)
        .containsExactly("dev-2", "dev-3");
    Page<DeviceView> page =
        fleet.devices(DeviceQuery.all().sortedBy(DeviceQuery.Sort.LAST_TELEMETRY, true).page(1, 1));
    assertThat(page.items()).extracting(DeviceView::id).containsExactly("dev-2");
    assertThat(page.total()).isEqualTo(3);
    assertThat(page.hasMore()).isTrue();
  }

  @Test
  void aDeviceDetailHasItsCountersConnectivityAndReadings() {
    DeviceDetail d = fleet.device("dev-1", Duration.ofHours(1)).orElseThrow();

    assertThat(d.registration().name()).contains("Kitchen board");
    assertThat(d.registration().tags()).containsEntry("floor", "2");
    assertThat(d.registeredVia()).isEqualTo(RegisteredVia.FIRST_CONTACT);
    assertThat(d.state()).isEqualTo(DeviceState.STALE);
    assertThat(d.stateCause()).hasValueSatisfying(c -> c.startsWith("no telemetry for 300 s"));
    assertThat(d.samplesInWindow()).isEqualTo(18);
    assertThat(d.seqGaps()).isEqualTo(1);
    assertThat(d.duplicatesDiscarded()).isZero();
    assertThat(d.clockSkew()).contains(Duration.ofSeconds(2));
    assertThat(d.lastSeq()).contains(10L);
    assertThat(d.profile().expectedInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(d.latestReadings())
        .extracting(LatestReading::metric, LatestReading::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("humidity", 40.0),
            org.assertj.core.groups.Tuple.tuple("temp_c", 10.0));
    assertThat(d.connection()).containsEntry("certificate_sha256", CERT_A);

    DeviceDetail two = fleet.device("dev-2").orElseThrow();
    assertThat(two.lastDisconnect())
        .contains(
            new DeviceDetail.Disconnect(
                T0.plusSeconds(100), Optional.of("connection_lost"), "gw-b"));
    assertThat(fleet.device("nobody")).isEmpty();
  }

  @Test
  void seriesComeFromRollupsOrRawPointsWithTheSameFigures() {
    // Points are placed at the device's own time (2 s before receipt), so seq 4 falls before 10:02.
    // Minute rollups: the window and the bucket on minute boundaries.
    List<SeriesBucket> byRollup =
        fleet.series("dev-1", "temp_c", T0, T0.plusSeconds(600), Duration.ofMinutes(2));
    // raw points: the same buckets, but the range starts off a minute boundary
    List<SeriesBucket> raw =
        fleet.series(
            "dev-1", "temp_c", T0.plusSeconds(1), T0.plusSeconds(600), Duration.ofMinutes(2));

    assertThat(byRollup)
        .containsExactly(
            new SeriesBucket(T0, 4, 1, 2.5, 4),
            new SeriesBucket(T0.plusSeconds(120), 3, 5, 19 / 3.0, 8),
            new SeriesBucket(T0.plusSeconds(240), 2, 9, 9.5, 10));
    assertThat(raw).isEqualTo(byRollup);
    assertThatThrownBy(
            () -> fleet.series("dev-1", "temp_c", T0, T0.plusSeconds(600), Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void latestReadingsFilterByDeviceAndMetric() {
    assertThat(fleet.latestReadings(LatestReadingsQuery.of(Set.of("temp_c"))))
        .extracting(LatestReading::deviceId, LatestReading::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("dev-1", 10.0),
            org.assertj.core.groups.Tuple.tuple("dev-2", 1.0));
    assertThat(fleet.latestReadings(new LatestReadingsQuery(Set.of("dev-2"), Set.of(), 10)))
        .hasSize(1);
  }

  @Test
  void gatewaysShowStateBacklogSinksAndEvents() {
    assertThat(fleet.gateways(GatewayQuery.all()).items())
        .extracting(
            GatewayView::id, GatewayView::state, GatewayView::backlogRecords, GatewayView::devices)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("gw-a", GatewayState.UP, 0L, 1L),
            org.assertj.core.groups.Tuple.tuple(
                "gw-b", GatewayState.UPSTREAM_INTERRUPTED, 12L, 1L));

    GatewayDetail b = fleet.gateway("gw-b").orElseThrow();
    assertThat(b.gateway().oldestUnsentAge()).contains(Duration.ofMillis(1500));
    assertThat(b.walRecords()).isEqualTo(40);
    assertThat(b.sinks())
        .containsExactly(new GatewayDetail.SinkStatus("kafka", 12, Duration.ofMillis(1500), true));
    assertThat(b.stateCause())
        .contains("upstream kafka interrupted since 2026-11-28T10:03:20Z: broker down");
    assertThat(b.recentEvents())
        .extracting(FleetEvent::kind, FleetEvent::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                FleetEvent.Kind.STATE_CHANGE, "upstream_interrupted"),
            org.assertj.core.groups.Tuple.tuple(
                FleetEvent.Kind.GATEWAY_EVENT, "upstream_interrupted"));
    assertThat(fleet.gateway("nowhere")).isEmpty();
  }

  @Test
  void samplesPerGatewayAreBucketedFromRollups() {
    List<GatewaySamples> samples =
        fleet.samplesPerGateway(T0, T0.plusSeconds(600), Duration.ofMinutes(5));

    assertThat(samples).extracting(GatewaySamples::gatewayId).containsExactly("gw-a", "gw-b");
    assertThat(samples.get(0).buckets()).containsExactly(new GatewaySamples.Bucket(T0, 2 * 9));
    assertThat(samples.get(1).total()).isEqualTo(1);
  }

  @Test
  void hourlySamplesOverARaggedRangeCombineHourAndMinuteRollups() {
    // gw-c: one reading every 10 minutes for three hours, a day after the fixture
    Instant h = T0.plus(Duration.ofDays(1));
    List<StoreRecord> batch = new ArrayList<>();
    for (int i = 0; i < 18; i++) {
      batch.add(StoreRecords.reading("gw-c", next(), "dev-9", i + 1, h.plusSeconds(600L * i)));
    }
    writer.write(batch);
    // from and to inside hours: whole hours come from the hourly rollups, the edges from minutes
    Instant from = h.plus(Duration.ofMinutes(25));
    Instant to = h.plus(Duration.ofMinutes(155));

    List<GatewaySamples> samples = fleet.samplesPerGateway(from, to, Duration.ofHours(1));

    assertThat(samples).extracting(GatewaySamples::gatewayId).containsExactly("gw-c");
    assertThat(samples.get(0).buckets())
        .containsExactly(
            new GatewaySamples.Bucket(h, 3),
            new GatewaySamples.Bucket(h.plus(Duration.ofHours(1)), 6),
            new GatewaySamples.Bucket(h.plus(Duration.ofHours(2)), 4));
    assertThat(
            FleetTestStore.rows(
                db,
                "SELECT count(*) FROM points WHERE gateway_id = 'gw-c' AND time >= '"
                    + from
                    + "' AND time < '"
                    + to
                    + "'"))
        .containsExactly(List.of("13"));
  }

  @Test
  void eventsMergeStateChangesGatewayEventsAndConnectivityNewestFirst() {
    Page<FleetEvent> forDevice = fleet.events(EventQuery.latest().forDevice("dev-2"));
    assertThat(forDevice.items())
        .extracting(FleetEvent::kind, FleetEvent::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(FleetEvent.Kind.STATE_CHANGE, "offline"),
            org.assertj.core.groups.Tuple.tuple(FleetEvent.Kind.CONNECTIVITY, "disconnected"),
            org.assertj.core.groups.Tuple.tuple(FleetEvent.Kind.CONNECTIVITY, "connected"));
    assertThat(forDevice.items().get(1).cause()).contains("connection_lost");

    Page<FleetEvent> connects =
        fleet.events(
            EventQuery.latest()
                .ofKinds(Set.of(FleetEvent.Kind.CONNECTIVITY))
                .between(T0, T0.plusSeconds(60)));
    assertThat(connects.total()).isEqualTo(2);
    assertThat(connects.items()).extracting(FleetEvent::entityId).containsExactly("dev-2", "dev-1");
  }

  @Test
  void connectivityIsATimelineOfSpans() {
    assertThat(fleet.connectivity("dev-2", T0.plusSeconds(60), T0.plusSeconds(600)))
        .containsExactly(
            new ConnectivitySpan(
                T0.plusSeconds(60),
                Optional.of(T0.plusSeconds(100)),
                ConnectivitySpan.Status.CONNECTED,
                "gw-b",
                Optional.empty()),
            new ConnectivitySpan(
                T0.plusSeconds(100),
                Optional.empty(),
                ConnectivitySpan.Status.DISCONNECTED,
                "gw-b",
                Optional.of("connection_lost")));
  }

  @Test
  void certificatePostureCountsWhatTheListenerSaw() {
    // dev-1 comes back with a second certificate
    writer.write(
        List.of(
            StoreRecords.connected(
                "gw-a",
                next(),
                "dev-1",
                T0.plusSeconds(500),
                certificate(CERT_B, T0.minusSeconds(3600)))));

    CertificatePosture posture = fleet.certificatePosture();

    assertThat(posture.certificatesSeen()).isEqualTo(2);
    assertThat(posture.expired()).isEqualTo(1);
    assertThat(posture.expiringWithin30Days()).isEqualTo(1);
    assertThat(posture.certificates())
        .extracting(
            CertificatePosture.SeenCertificate::sha256,
            CertificatePosture.SeenCertificate::daysToExpiry,
            CertificatePosture.SeenCertificate::deviceIds)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(CERT_B, -1L, Set.of("dev-1", "dev-2")),
            org.assertj.core.groups.Tuple.tuple(CERT_A, 9L, Set.of("dev-1")));
    assertThat(posture.devicesWithSeveralCertificates())
        .containsExactly(
            new CertificatePosture.DeviceCertificates("dev-1", List.of(CERT_A, CERT_B)));
  }

  @Test
  void aCertificatePresentedOverHttpsIsSeenButOpensNoSession() {
    String certC = "c".repeat(64);
    writer.write(
        List.of(
            StoreRecords.deviceEvent(
                "gw-b",
                next(),
                "dev-2",
                T0.plusSeconds(300),
                "{\"event\":\"certificate_presented\",\"protocol\":\"https\","
                    + "\"tls\":\"mtls\",\"auth\":\"client_certificate\""
                    + certificate(certC, T0.plusSeconds(86_400L * 100))
                    + "}")));

    // no connected span: dev-2 stays disconnected since the MQTT disconnect at T0+100
    assertThat(fleet.connectivity("dev-2", T0.plusSeconds(60), T0.plusSeconds(600)))
        .extracting(ConnectivitySpan::status, ConnectivitySpan::from)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                ConnectivitySpan.Status.CONNECTED, T0.plusSeconds(60)),
            org.assertj.core.groups.Tuple.tuple(
                ConnectivitySpan.Status.DISCONNECTED, T0.plusSeconds(100)));
    // but the certificate is one the listeners saw, on dev-2
    assertThat(fleet.certificatePosture().certificates())
        .filteredOn(c -> c.sha256().equals(certC))
        .singleElement()
        .satisfies(c -> assertThat(c.deviceIds()).containsExactly("dev-2"));
    // and the event is listed as what it is
    assertThat(fleet.events(EventQuery.latest().forDevice("dev-2")).items())
        .extracting(FleetEvent::type)
        .contains("certificate_presented");
  }

  @Test
  void profilesAreListed() {
    assertThat(fleet.profiles())
        .extracting(DeviceProfile::name, DeviceProfile::staleAfter)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b-l475e-iot01a", Duration.ofSeconds(30)),
            org.assertj.core.groups.Tuple.tuple("default", Duration.ofSeconds(180)));
  }
}
