package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {

  @Test
  void everyFieldHasADefault() {
    BridgeConfig config = BridgeConfig.defaults();

    assertThat(config.enabled()).isFalse();
    assertThat(config.host()).isEqualTo("localhost");
    assertThat(config.port()).isEqualTo(1883);
    assertThat(config.tls()).isFalse();
    assertThat(config.trustFile()).isEmpty();
    assertThat(config.username()).isEmpty();
    assertThat(config.password()).isEmpty();
    assertThat(config.clientId()).isEqualTo("auditgate-bridge");
    assertThat(config.topicFilters())
        .containsExactly("devices/+/telemetry", "devices/+/events", "devices/+/firmware/state");
    assertThat(config.sessionExpiry()).isEqualTo(Duration.ofDays(1));
    assertThat(config.receiveMaximum()).isEqualTo(1000);
    assertThat(config.reconnectInitialDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.reconnectMaxDelay()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void tlsMovesTheDefaultPort() {
    assertThat(config(true, null, null, null, List.of("devices/+/telemetry")).port())
        .isEqualTo(8883);
  }

  @Test
  void thePasswordIsNeverPrinted() {
    BridgeConfig config = config(false, null, "gateway", "s3cret", null);
    assertThat(config.toString()).doesNotContain("s3cret").contains("password=Optional[***]");
    assertThat(config.password()).contains("s3cret");
  }

  @Test
  void invalidValuesAreRejectedNamingTheKey() {
    assertThat(problem(() -> config(false, Path.of("ca.pem"), null, null, null)).key())
        .isEqualTo("trust_file");
    assertThat(problem(() -> config(false, null, null, "s3cret", null)).key())
        .isEqualTo("password");
    assertThat(problem(() -> config(false, null, null, null, List.of())).key())
        .isEqualTo("topic_filters");
    ConfigException noDevice = problem(() -> config(false, null, null, null, List.of("devices/#")));
    assertThat(noDevice.key()).isEqualTo("topic_filters[0]");
    assertThat(noDevice.problem()).contains("'+' level standing for the device id");
    assertThat(problem(() -> config(false, null, null, null, List.of("a/+/b", "a/#/b"))).key())
        .isEqualTo("topic_filters[1]");
    assertThat(problem(() -> config(false, null, null, null, List.of("a/x+/b"))).key())
        .isEqualTo("topic_filters[0]");
    assertThat(problem(() -> only(2, 0)).key()).isEqualTo("port");
    assertThat(problem(() -> only(7, "has space")).key()).isEqualTo("client_id");
    assertThat(problem(() -> only(9, Duration.ZERO)).key()).isEqualTo("session_expiry");
    assertThat(problem(() -> only(10, 0)).key()).isEqualTo("receive_maximum");
    assertThat(problem(() -> only(10, 65536)).key()).isEqualTo("receive_maximum");
    assertThat(problem(() -> only(11, Duration.ZERO)).key()).isEqualTo("reconnect_initial_delay");
    assertThat(problem(() -> only(12, Duration.ofHours(2))).key()).isEqualTo("reconnect_max_delay");
  }

  @Test
  void theDeviceIdLevelIsTheFirstPlus() {
    assertThat(BridgeConfig.deviceIdLevel("devices/+/telemetry")).isEqualTo(1);
    assertThat(BridgeConfig.deviceIdLevel("site/+/+/up")).isEqualTo(1);
    assertThat(BridgeConfig.deviceIdLevel("+/x")).isZero();
    assertThat(BridgeConfig.deviceIdLevel("devices/#")).isEqualTo(-1);
  }

  private static BridgeConfig config(
      boolean tls, Path trust, String username, String password, List<String> filters) {
    return new BridgeConfig(
        true,
        "broker.example",
        null,
        tls,
        Optional.ofNullable(trust),
        Optional.ofNullable(username),
        Optional.ofNullable(password),
        null,
        filters,
        null,
        null,
        null,
        null);
  }

  /** A configuration with every field at its default except the one at {@code index}. */
  private static BridgeConfig only(int index, Object value) {
    Object[] fields = new Object[13];
    fields[index] = value;
    return new BridgeConfig(
        (Boolean) fields[0],
        (String) fields[1],
        (Integer) fields[2],
        (Boolean) fields[3],
        null,
        null,
        null,
        (String) fields[7],
        null,
        (Duration) fields[9],
        (Integer) fields[10],
        (Duration) fields[11],
        (Duration) fields[12]);
  }

  private static ConfigException problem(Runnable construction) {
    return catchThrowableOfType(ConfigException.class, construction::run);
  }
}
