package io.auditgate.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.BridgeConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceTopicsTest {
  private final DeviceTopics defaults = new DeviceTopics(BridgeConfig.DEFAULT_TOPIC_FILTERS);

  @Test
  void theDeviceIdIsTheLevelOfTheFirstPlus() {
    assertThat(defaults.deviceIdOf("devices/b-l475e-0001/telemetry")).contains("b-l475e-0001");
    assertThat(defaults.deviceIdOf("devices/dev_2/events")).contains("dev_2");
    assertThat(defaults.deviceIdOf("devices/dev-3/firmware/state")).contains("dev-3");
  }

  @Test
  void topicsNoFilterMatchesHaveNoDeviceId() {
    assertThat(defaults.deviceIdOf("devices/dev-1/commands/reboot")).isEmpty();
    assertThat(defaults.deviceIdOf("devices/dev-1")).isEmpty();
    assertThat(defaults.deviceIdOf("devices/dev-1/telemetry/extra")).isEmpty();
    assertThat(defaults.deviceIdOf("other/dev-1/telemetry")).isEmpty();
  }

  @Test
  void siteSpecificPrefixesAndMultiLevelWildcardsWork() {
    DeviceTopics topics = new DeviceTopics(List.of("site/+/+/up", "plant/+/#"));
    assertThat(topics.deviceIdOf("site/dev-1/anything/up")).contains("dev-1");
    assertThat(topics.deviceIdOf("plant/dev-2")).contains("dev-2");
    assertThat(topics.deviceIdOf("plant/dev-2/a/b/c")).contains("dev-2");
  }

  @Test
  void wildcardsDoNotMatchDollarTopics() {
    DeviceTopics topics = new DeviceTopics(List.of("+/telemetry"));
    assertThat(topics.deviceIdOf("$SYS/telemetry")).isEmpty();
    assertThat(topics.deviceIdOf("dev-1/telemetry")).contains("dev-1");
  }
}
