package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Fault;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
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

  @Test
  void httpsIsChosenByNameAndRefusesWhatOnlyMqttHas() throws Exception {
    SimulationPlan mqtt = new SimulationPlan(2, 1, Duration.ofSeconds(5), 1, LOCAL);
    assertThat(mqtt.transport()).isEqualTo(SimulationPlan.Transport.MQTT);
    assertThat(SimulationPlan.ingestPath("b-l475e-0001")).isEqualTo("/v1/ingest/b-l475e-0001");
    assertThatThrownBy(() -> mqtt.withTransport(SimulationPlan.Transport.HTTPS))
        .hasMessageContaining("HTTPS transport needs a TLS endpoint");

    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init((KeyStore) null);
    SimulationPlan https =
        new SimulationPlan(2, 1, Duration.ofSeconds(5), 1, Endpoint.tls("localhost", 8443, trust))
            .withTransport(SimulationPlan.Transport.HTTPS);
    assertThat(https.withSeed(7).transport()).isEqualTo(SimulationPlan.Transport.HTTPS);
    assertThatThrownBy(
            () -> https.withFaults(List.of(new Fault.ReconnectStorm(Duration.ofSeconds(1)))))
        .hasMessageContaining("MQTT");
    assertThat(
            https
                .withFaults(List.of(new Fault.WrongTopic("b-l475e-0001", Duration.ZERO, 1)))
                .faults())
        .hasSize(1);
  }
}
