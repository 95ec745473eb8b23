package io.auditgate.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MosquittoBrokerTest {

  @Test
  void aMissingBrokerFailsTheTestSayingHowToInstallIt() {
    assertThatThrownBy(() -> MosquittoBroker.program("mosquitto-that-is-not-installed"))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("is not installed")
        .hasMessageContaining("apt-get install -y mosquitto mosquitto-clients");
  }
}
