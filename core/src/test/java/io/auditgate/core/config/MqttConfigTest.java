package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MqttConfigTest {

  @Test
  void everyFieldHasADefault() {
    MqttConfig config = MqttConfig.defaults();

    assertThat(config.bindHost()).isEqualTo("0.0.0.0");
    assertThat(config.port()).isEqualTo(8883);
    assertThat(config.plaintext()).as("TLS unless explicitly turned off").isFalse();
    assertThat(config.maxPacketSize())
        .as("64KiB of telemetry plus headroom for the topic and headers")
        .isEqualTo(DataSize.ofBytes(64 * 1024 + 1024));
    assertThat(config.maxConnections()).isEqualTo(10_000);
    assertThat(config.maxConnectionsPerSecond()).isEqualTo(1_000);
    assertThat(config.receiveMaximum()).isEqualTo(32);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.maxViolations()).isEqualTo(3);
    assertThat(config.maxSessionExpiry()).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void givenValuesAreKept() {
    MqttConfig config =
        new MqttConfig(
            "127.0.0.1",
            0,
            true,
            DataSize.ofKibibytes(4),
            10,
            5,
            8,
            Duration.ofSeconds(1),
            1,
            Duration.ZERO);

    assertThat(config.bindHost()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.plaintext()).isTrue();
    assertThat(config.maxPacketSize()).isEqualTo(DataSize.ofKibibytes(4));
    assertThat(config.maxConnections()).isEqualTo(10);
    assertThat(config.maxConnectionsPerSecond()).isEqualTo(5);
    assertThat(config.receiveMaximum()).isEqualTo(8);
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.maxViolations()).isEqualTo(1);
    assertThat(config.maxSessionExpiry()).isZero();
    assertThat(config.withAddress("::1", 1883).withPlaintext(false))
        .isEqualTo(
            new MqttConfig(
                "::1",
                1883,
                false,
                DataSize.ofKibibytes(4),
                10,
                5,
                8,
                Duration.ofSeconds(1),
                1,
                Duration.ZERO));
  }

  @Test
  void valuesThatCannotWorkAreRejectedNamingTheKey() {
    MqttConfig ok = MqttConfig.defaults();

    assertThat(key(() -> ok.withAddress(" ", 1883))).isEqualTo("bind_host");
    assertThat(key(() -> ok.withAddress("localhost", 65_536))).isEqualTo("port");
    assertThat(key(() -> with(3, DataSize.ofBytes(255)))).isEqualTo("max_packet_size");
    assertThat(key(() -> with(4, 0))).isEqualTo("max_connections");
    assertThat(key(() -> with(5, 0))).isEqualTo("max_connections_per_second");
    assertThat(key(() -> with(6, 65_536)))
        .as("MQTT 5 carries the receive maximum in two bytes")
        .isEqualTo("receive_maximum");
    assertThat(key(() -> with(7, Duration.ZERO))).isEqualTo("connect_timeout");
    assertThat(key(() -> with(8, 0))).isEqualTo("max_violations");
    assertThat(key(() -> with(9, Duration.ofSeconds(-1)))).isEqualTo("max_session_expiry");
  }

  /** A configuration with every field left out but the one at {@code index}. */
  private static MqttConfig with(int index, Object value) {
    Object[] fields = new Object[10];
    fields[index] = value;
    return new MqttConfig(
        (String) fields[0],
        (Integer) fields[1],
        (Boolean) fields[2],
        (DataSize) fields[3],
        (Integer) fields[4],
        (Integer) fields[5],
        (Integer) fields[6],
        (Duration) fields[7],
        (Integer) fields[8],
        (Duration) fields[9]);
  }

  private static String key(Runnable construction) {
    Throwable thrown = catchThrowable(construction::run);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return ((ConfigException) thrown).key();
  }
}
