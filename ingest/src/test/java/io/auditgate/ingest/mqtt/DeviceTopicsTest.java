package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.ingest.mqtt.DeviceTopics.FilterVerdict;
import io.auditgate.ingest.mqtt.DeviceTopics.PublishVerdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The topic contract of ARCHITECTURE.md (a device publishes and subscribes under its own id only)
 * and the topic filter rules of MQTT section 4.7.
 */
class DeviceTopicsTest {

  @ParameterizedTest
  @CsvSource({
    "devices/dev-1/telemetry, ALLOWED",
    "devices/dev-1/events, ALLOWED",
    "devices/dev-1/firmware/state, ALLOWED",
    "devices/dev-1/firmware, UNKNOWN_TOPIC",
    "devices/dev-1/telemetry/extra, UNKNOWN_TOPIC",
    "devices/dev-1, UNKNOWN_TOPIC",
    "devices/dev-2/telemetry, OTHER_DEVICE",
    "devices/dev-10/telemetry, OTHER_DEVICE",
    "devices/dev/telemetry, OTHER_DEVICE",
    "devices//telemetry, UNKNOWN_TOPIC",
    "sensors/dev-1/telemetry, UNKNOWN_TOPIC",
    "/devices/dev-1/telemetry, UNKNOWN_TOPIC"
  })
  void aDevicePublishesOnlyOnItsOwnTopics(String topic, PublishVerdict verdict) {
    assertThat(DeviceTopics.forPublish(topic, "dev-1")).isEqualTo(verdict);
  }

  @ParameterizedTest
  @CsvSource({
    "devices/dev-1/commands/#, ALLOWED",
    "devices/dev-1/commands, ALLOWED",
    "devices/dev-1/commands/+, ALLOWED",
    "devices/dev-1/commands/reboot, ALLOWED",
    "devices/dev-1/commands/ota/+, ALLOWED",
    "devices/dev-1/#, NOT_AUTHORIZED",
    "devices/+/commands/#, NOT_AUTHORIZED",
    "devices/dev-2/commands/#, NOT_AUTHORIZED",
    "devices/dev-1/commandsx, NOT_AUTHORIZED",
    "#, NOT_AUTHORIZED",
    "devices/dev-1/commands/#/x, INVALID",
    "devices/dev-1/commands/a#, INVALID",
    "devices/dev-1/commands/a+, INVALID",
    "$share/g/devices/dev-1/commands/#, SHARED_NOT_SUPPORTED"
  })
  void aDeviceSubscribesOnlyToItsOwnCommands(String filter, FilterVerdict verdict) {
    assertThat(DeviceTopics.forSubscription(filter, "dev-1")).isEqualTo(verdict);
  }

  @ParameterizedTest
  @CsvSource({
    "devices/d/commands/#, devices/d/commands/reboot, true",
    "devices/d/commands/#, devices/d/commands, true",
    "devices/d/commands/+, devices/d/commands/reboot, true",
    "devices/d/commands/+, devices/d/commands/ota/start, false",
    "devices/d/commands/ota/+, devices/d/commands/ota/start, true",
    "devices/d/commands/reboot, devices/d/commands/reboot, true",
    "devices/d/commands/reboot, devices/d/commands/rebooted, false",
    "devices/d/commands, devices/d/commands/reboot, false"
  })
  void filtersMatchAsSection47Says(String filter, String topic, boolean matches) {
    assertThat(DeviceTopics.matches(filter, topic)).isEqualTo(matches);
  }

  @ParameterizedTest
  @CsvSource({
    "reboot, true",
    "ota/start, true",
    "'', false",
    "a/#, false",
    "+, false",
    "/a, false"
  })
  void commandNamesAreTopicLevelsWithoutWildcards(String command, boolean valid) {
    assertThat(DeviceTopics.isValidCommand(command)).isEqualTo(valid);
  }
}
