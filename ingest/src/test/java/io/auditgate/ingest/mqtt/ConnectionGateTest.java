package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Admission at accept: the limits behind CONNACK 0x03 (3.1.1), 0x97 and 0x9F (5). */
class ConnectionGateTest {
  private final TestClock clock = new TestClock();

  @Test
  void newConnectionsAreRateLimitedByATokenBucketOfOneSecond() {
    ConnectionGate gate = new ConnectionGate(100, 4, clock);

    for (int i = 0; i < 4; i++) {
      assertThat(gate.admit()).isEmpty();
    }
    assertThat(gate.admit()).contains(ConnectRefusal.RATE_LIMITED);
    clock.advance(Duration.ofMillis(250));
    assertThat(gate.admit()).as("a quarter second refills one").isEmpty();
    assertThat(gate.admit()).contains(ConnectRefusal.RATE_LIMITED);
  }

  @Test
  void openConnectionsAreCapped() {
    ConnectionGate gate = new ConnectionGate(2, 1_000, clock);

    assertThat(gate.admit()).isEmpty();
    assertThat(gate.admit()).isEmpty();
    assertThat(gate.admit()).contains(ConnectRefusal.MAX_CONNECTIONS);
    gate.released();
    assertThat(gate.admit()).isEmpty();
  }

  @Test
  void onlyAFewRefusedConnectionsMayWaitToBeToldWhy() {
    ConnectionGate gate = new ConnectionGate(1, 1, clock);

    for (int i = 0; i < ConnectionGate.MAX_LINGERING_REFUSALS; i++) {
      assertThat(gate.mayLinger()).isTrue();
    }
    assertThat(gate.mayLinger()).isFalse();
    gate.done();
    assertThat(gate.mayLinger()).isTrue();
  }
}
