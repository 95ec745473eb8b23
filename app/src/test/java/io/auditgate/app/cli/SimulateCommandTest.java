package io.auditgate.app.cli;

import static io.auditgate.sim.SimulationPlan.Transport.HTTPS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code simulate}'s transport option, through the real command line. */
class SimulateCommandTest {

  @Test
  void httpsWithoutTrustAnchorsIsRefusedBeforeAnythingRuns() {
    WalCommandTest.Run run =
        WalCommandTest.run("simulate", "--transport", "https", "--duration", "1s");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("HTTPS transport needs a TLS endpoint");
  }

  @Test
  void anUnknownTransportIsRefusedByName() {
    WalCommandTest.Run run = WalCommandTest.run("simulate", "--transport", "coap");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("'coap' is not a transport; use mqtt or https");
  }

  @Test
  void theTransportIsCaseInsensitive() {
    assertThat(new SimulateCommand.TransportConverter().convert("HTTPS")).isEqualTo(HTTPS);
  }
}
