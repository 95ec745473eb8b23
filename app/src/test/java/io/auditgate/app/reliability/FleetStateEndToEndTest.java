package io.auditgate.app.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.app.runtime.Node;
import io.auditgate.fleet.CertificatePosture;
import io.auditgate.fleet.DeviceDetail;
import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceState;
import io.auditgate.fleet.EventQuery;
import io.auditgate.fleet.Fleet;
import io.auditgate.fleet.FleetEvent;
import io.auditgate.fleet.FleetReadModel;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.store.StoreOptions;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet monitor as a node runs it: simulated boards on mTLS publish through an edge gateway
 * into a real PostgreSQL; the node's monitor marks them active, then offline with the listener's
 * close reason when they stop, and the certificates they presented show in the posture.
 */
class FleetStateEndToEndTest {
  private static final Duration NOTICE = Duration.ofSeconds(30);

  @TempDir static Path dir;
  private static ReliabilityHarness harness;

  @BeforeAll
  static void startPostgres() {
    harness = ReliabilityHarness.start(dir, false);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void aBoardThatStopsPublishingGoesStaleWithTheReasonAndComesBack() throws Exception {
    try (Scenario scenario = harness.scenario("fleet_stale");
        Node node = scenario.startEdgeGateway()) {
      StoreOptions store = node.storeOptions().orElseThrow();
      // A profile short enough for a test: one reading a second expected, stale after three missed.
      Fleet.registry(store)
          .registerProfile(
              new DeviceProfile("default", Duration.ofSeconds(1), 3, Optional.of("test")));
      FleetReadModel fleet = Fleet.readModel(store, Clock.systemUTC());
      String quiet = Load.deviceIds().get(1);
      String busy = Load.deviceIds().get(0);
      scenario.awaitDeliveringToTheStore(Scenario.WARM_UP);
      try (Load load =
          Load.start(
              harness.pki(),
              node.gateway().orElseThrow().mqttAddress().getPort(),
              Duration.ofSeconds(40),
              List.of(
                  new SimulationPlan.Fault.Stale(
                      quiet, Duration.ofSeconds(4), Duration.ofSeconds(16))))) {
        DeviceDetail stale =
            Waits.until(
                quiet + " stale",
                NOTICE,
                () -> fleet.device(quiet).orElseThrow(),
                d -> d.state() == DeviceState.STALE);
        assertThat(stale.stateCause())
            .hasValueSatisfying(
                c ->
                    assertThat(c)
                        .matches(
                            "no telemetry for [0-9.]+ s; profile default expects one every 1 s,"
                                + " stale after 3"));
        assertThat(fleet.device(busy).orElseThrow().state()).isEqualTo(DeviceState.ACTIVE);
        // The writer marks a device active on its next telemetry; the monitor records why.
        Waits.until(
            "the monitor records " + quiet + " active again",
            NOTICE,
            () ->
                fleet
                    .events(
                        EventQuery.latest()
                            .forDevice(quiet)
                            .ofKinds(Set.of(FleetEvent.Kind.STATE_CHANGE)))
                    .items()
                    .get(0),
            e -> e.type().equals("active") && e.fromState().equals(Optional.of("stale")));
        load.close();
      }
      assertThat(
              fleet
                  .events(
                      EventQuery.latest()
                          .forDevice(quiet)
                          .ofKinds(Set.of(FleetEvent.Kind.STATE_CHANGE)))
                  .items())
          .extracting(FleetEvent::fromState, FleetEvent::type)
          .containsSubsequence(
              org.assertj.core.groups.Tuple.tuple(Optional.of("stale"), "active"),
              org.assertj.core.groups.Tuple.tuple(Optional.of("active"), "stale"));
    }
  }

  @Test
  void boardsAreActiveWhilePublishingAndOfflineWithTheirCloseReasonAfter() throws Exception {
    try (Scenario scenario = harness.scenario("fleet_state");
        Node node = scenario.startEdgeGateway()) {
      assertThat(node.fleetMonitor()).as("a node with a store runs the monitor").isPresent();
      FleetReadModel fleet = Fleet.readModel(node.storeOptions().orElseThrow(), Clock.systemUTC());
      String board = Load.deviceIds().get(0);
      try (Load load = scenario.startLoadOnceDelivering(node, Duration.ofSeconds(6))) {
        Waits.until(
            "the monitor marks " + board + " active",
            NOTICE,
            () -> fleet.device(board).map(DeviceDetail::state).orElse(null) == DeviceState.ACTIVE);
        load.awaitEnd();
      }

      DeviceDetail offline =
          Waits.until(
              board + " offline",
              NOTICE,
              () -> fleet.device(board).orElseThrow(),
              d -> d.state() == DeviceState.OFFLINE);
      assertThat(offline.stateCause())
          .hasValueSatisfying(c -> assertThat(c).contains("client_disconnect"));
      assertThat(offline.connection()).containsKey("certificate_sha256");
      assertThat(
              fleet
                  .events(
                      EventQuery.latest()
                          .forDevice(board)
                          .ofKinds(Set.of(FleetEvent.Kind.STATE_CHANGE)))
                  .items())
          .extracting(FleetEvent::type)
          .containsSubsequence("offline", "active");

      CertificatePosture posture = fleet.certificatePosture();
      assertThat(posture.certificatesSeen()).isEqualTo(Load.BOARDS);
      assertThat(posture.expiringWithin30Days()).as("issued for 2 days").isEqualTo(Load.BOARDS);
      assertThat(posture.certificates())
          .allSatisfy(c -> assertThat(c.daysToExpiry()).isBetween(0L, 2L));

      // The certificate inventory learned the same certificates from the connect events.
      var inventory = node.certificates().orElseThrow().inventory();
      var seen =
          Waits.until(
              "the inventory records the boards' certificates",
              NOTICE,
              () ->
                  inventory
                      .list(
                          io.auditgate.controlplane.inventory.CertificateQuery.all()
                              .withSource(
                                  io.auditgate.controlplane.inventory.SourceKind.LISTENER_MQTT))
                      .items(),
              items -> items.size() == Load.BOARDS);
      assertThat(seen).allSatisfy(c -> assertThat(c.deviceId()).isPresent());
      assertThat(seen).extracting(c -> c.deviceId().orElseThrow()).contains(board);
      assertThat(inventory.detail(seen.get(0).sha256()).orElseThrow().sightings().get(0).location())
          .startsWith("mqtt");
    }
  }
}
