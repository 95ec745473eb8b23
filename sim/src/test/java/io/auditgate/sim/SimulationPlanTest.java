package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Fault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationPlanTest {
  private static final Endpoint LOCAL = Endpoint.plaintext("127.0.0.1", 1883);

  @Test
  void devicesAreNumberedFromOne() {
    SimulationPlan plan = new SimulationPlan(3, 2, Duration.ofSeconds(3), 1, LOCAL);
    assertThat(plan.deviceIds()).containsExactly("b-l475e-0001", "b-l475e-0002", "b-l475e-0003");
    assertThat(SimulationPlan.deviceId(12345)).isEqualTo("b-l475e-12345");
    assertThat(SimulationPlan.telemetryTopic("b-l475e-0001"))
        .isEqualTo("devices/b-l475e-0001/telemetry");
  }

  @Test
  void messagesPerDeviceIsRateTimesDurationRoundedDown() {
    assertThat(new SimulationPlan(1, 2, Duration.ofSeconds(3), 1, LOCAL).messagesPerDevice())
        .isEqualTo(6);
    assertThat(new SimulationPlan(1, 0.5, Duration.ofMillis(4500), 1, LOCAL).messagesPerDevice())
        .isEqualTo(2);
    assertThat(new SimulationPlan(1, 0, Duration.ofSeconds(2), 0, LOCAL).messagesPerDevice())
        .isZero();
  }

  @Test
  void impossiblePlansAreRefused() {
    assertThatThrownBy(() -> new SimulationPlan(0, 1, Duration.ofSeconds(1), 1, LOCAL))
        .hasMessageContaining("devices");
    assertThatThrownBy(() -> new SimulationPlan(1, -1, Duration.ofSeconds(1), 1, LOCAL))
        .hasMessageContaining("messagesPerSecond");
    assertThatThrownBy(() -> new SimulationPlan(1, 1, Duration.ZERO, 1, LOCAL))
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> new SimulationPlan(1, 1, Duration.ofSeconds(1), 2, LOCAL))
        .hasMessageContaining("qos");
    SimulationPlan plan = new SimulationPlan(2, 1, Duration.ofSeconds(5), 1, LOCAL);
    assertThatThrownBy(
            () -> plan.withFaults(List.of(new Fault.Malformed("b-l475e-0009", Duration.ZERO, 1))))
        .hasMessageContaining("unknown device b-l475e-0009");
    assertThatThrownBy(
            () -> plan.withFaults(List.of(new Fault.ReconnectStorm(Duration.ofSeconds(5)))))
        .hasMessageContaining("outside the run");
    assertThatThrownBy(
            () ->
                plan.withFaults(
                    List.of(
                        new Fault.BadCertificate(
                            "b-l475e-0001", "expired", Path.of("a.crt"), Path.of("a.key")))))
        .hasMessageContaining("TLS");
    assertThatThrownBy(
            () ->
                plan.withCredentials(
                    new SimulationPlan.Credentials.ClientCertificates(Path.of("."))))
        .hasMessageContaining("TLS");
  }
}
