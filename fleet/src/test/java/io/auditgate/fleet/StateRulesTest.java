package io.auditgate.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.fleet.internal.StateRules;
import io.auditgate.fleet.internal.StateRules.Decision;
import io.auditgate.fleet.internal.StateRules.DeviceFacts;
import io.auditgate.fleet.internal.StateRules.GatewayFacts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The state rules alone, at their boundaries. */
class StateRulesTest {
  private static final Instant T = Instant.parse("2026-11-28T10:00:00Z");
  private static final Duration HEARTBEAT = Duration.ofSeconds(10);
  private static final Duration RESTART_WINDOW = Duration.ofMinutes(5);

  private static DeviceFacts device(
      Optional<Instant> telemetry, Optional<Instant> connect, Optional<Instant> disconnect) {
    return new DeviceFacts(
        "b-l475e-iot01a",
        Duration.ofSeconds(10),
        3,
        telemetry,
        connect,
        disconnect,
        Optional.of("connection_lost"),
        "import");
  }

  @Test
  void aDeviceIsActiveUpToExactlyStaleAfterAndStaleOneMomentLater() {
    DeviceFacts f = device(Optional.of(T), Optional.of(T.minusSeconds(5)), Optional.empty());

    assertThat(StateRules.device(f, T.plusSeconds(30)).state()).isEqualTo(DeviceState.ACTIVE);
    Decision<DeviceState> stale = StateRules.device(f, T.plusMillis(30_500));
    assertThat(stale.state()).isEqualTo(DeviceState.STALE);
    assertThat(stale.since()).isEqualTo(T.plusSeconds(30));
    assertThat(stale.cause())
        .isEqualTo(
            "no telemetry for 30.5 s; profile b-l475e-iot01a expects one every 10 s, stale after 3");
  }

  @Test
  void aDisconnectAfterTheLastConnectAndTelemetryIsOffline() {
    Decision<DeviceState> d =
        StateRules.device(
            device(Optional.of(T), Optional.of(T.minusSeconds(5)), Optional.of(T.plusSeconds(1))),
            T.plusSeconds(2));
    assertThat(d.state()).isEqualTo(DeviceState.OFFLINE);
    assertThat(d.since()).isEqualTo(T.plusSeconds(1));

    // telemetry after the disconnect (it arrived through another gateway) wins
    assertThat(
            StateRules.device(
                    device(
                        Optional.of(T.plusSeconds(3)),
                        Optional.of(T.minusSeconds(5)),
                        Optional.of(T.plusSeconds(1))),
                    T.plusSeconds(4))
                .state())
        .isEqualTo(DeviceState.ACTIVE);
  }

  @Test
  void aReconnectAfterSilenceGivesAGraceAndNothingAtAllIsNeverSeen() {
    DeviceFacts reconnected =
        device(Optional.of(T), Optional.of(T.plusSeconds(100)), Optional.of(T.plusSeconds(50)));
    assertThat(StateRules.device(reconnected, T.plusSeconds(110)).state())
        .isEqualTo(DeviceState.ACTIVE);
    assertThat(StateRules.device(reconnected, T.plusSeconds(131)).state())
        .isEqualTo(DeviceState.STALE);

    Decision<DeviceState> never =
        StateRules.device(device(Optional.empty(), Optional.empty(), Optional.empty()), T);
    assertThat(never.state()).isEqualTo(DeviceState.NEVER_SEEN);
    assertThat(never.cause()).isEqualTo("registered via import; no telemetry or connect yet");
  }

  private static GatewayFacts gateway(
      Optional<Instant> heartbeat,
      Optional<Instant> started,
      Optional<Instant> stopped,
      Optional<Instant> interrupted,
      Optional<Instant> restored) {
    return new GatewayFacts(
        heartbeat,
        Map.of(),
        started,
        Optional.empty(),
        Map.of(),
        stopped,
        interrupted,
        Map.of("sink", "store", "reason", "connection refused"),
        restored);
  }

  @Test
  void aGatewayIsDownAfterThreeMissedHeartbeatsOrAStop() {
    GatewayFacts beating =
        gateway(
            Optional.of(T),
            Optional.of(T.minusSeconds(3600)),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    assertThat(StateRules.gateway(beating, T.plusSeconds(30), HEARTBEAT, RESTART_WINDOW).state())
        .isEqualTo(GatewayState.UP);
    Decision<GatewayState> down =
        StateRules.gateway(beating, T.plusSeconds(31), HEARTBEAT, RESTART_WINDOW);
    assertThat(down.state()).isEqualTo(GatewayState.DOWN);
    assertThat(down.since()).isEqualTo(T.plusSeconds(30));

    GatewayFacts stopped =
        gateway(
            Optional.of(T),
            Optional.of(T.minusSeconds(3600)),
            Optional.of(T.plusSeconds(1)),
            Optional.empty(),
            Optional.empty());
    assertThat(StateRules.gateway(stopped, T.plusSeconds(2), HEARTBEAT, RESTART_WINDOW).cause())
        .isEqualTo("stopped at 2026-11-28T10:00:01Z");
  }

  @Test
  void anInterruptionOutranksARestartAndARestoreEndsIt() {
    GatewayFacts interrupted =
        gateway(
            Optional.of(T.plusSeconds(5)),
            Optional.of(T),
            Optional.empty(),
            Optional.of(T.plusSeconds(2)),
            Optional.empty());
    assertThat(StateRules.gateway(interrupted, T.plusSeconds(6), HEARTBEAT, RESTART_WINDOW).cause())
        .isEqualTo("upstream store interrupted since 2026-11-28T10:00:02Z: connection refused");

    GatewayFacts restored =
        gateway(
            Optional.of(T.plusSeconds(5)),
            Optional.of(T),
            Optional.empty(),
            Optional.of(T.plusSeconds(2)),
            Optional.of(T.plusSeconds(4)));
    assertThat(StateRules.gateway(restored, T.plusSeconds(6), HEARTBEAT, RESTART_WINDOW).state())
        .isEqualTo(GatewayState.RESTARTED);
    GatewayFacts restoredLongAgo =
        gateway(
            Optional.of(T.plusSeconds(300)),
            Optional.of(T),
            Optional.empty(),
            Optional.of(T.plusSeconds(2)),
            Optional.of(T.plusSeconds(4)));
    assertThat(
            StateRules.gateway(restoredLongAgo, T.plusSeconds(301), HEARTBEAT, RESTART_WINDOW)
                .state())
        .as("the restart window is over")
        .isEqualTo(GatewayState.UP);

    // an interruption from before the last start is history
    GatewayFacts oldInterruption =
        gateway(
            Optional.of(T.plusSeconds(5)),
            Optional.of(T),
            Optional.empty(),
            Optional.of(T.minusSeconds(60)),
            Optional.empty());
    assertThat(
            StateRules.gateway(oldInterruption, T.plusSeconds(6), HEARTBEAT, RESTART_WINDOW)
                .state())
        .isEqualTo(GatewayState.RESTARTED);
  }
}
