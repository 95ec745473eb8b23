package io.auditgate.ingest.bridge;

import io.auditgate.core.config.BridgeConfig;
import java.util.List;
import java.util.Optional;

/**
 * Reads the device id out of a bridged topic: the level where the matching topic filter has its
 * first {@code +}. Filters are checked in the configured order; the first match wins.
 *
 * <p>Thread-safety: immutable.
 */
final class DeviceTopics {
  private final List<Filter> filters;

  DeviceTopics(List<String> topicFilters) {
    this.filters =
        topicFilters.stream()
            .map(f -> new Filter(f.split("/", -1), BridgeConfig.deviceIdLevel(f)))
            .toList();
  }

  /** The device id {@code topic} names, or empty when none of the filters matches it. */
  Optional<String> deviceIdOf(String topic) {
    String[] levels = topic.split("/", -1);
    for (Filter filter : filters) {
      if (matches(filter.levels(), levels)) {
        return Optional.of(levels[filter.deviceLevel()]);
      }
    }
    return Optional.empty();
  }

  /** MQTT matching: {@code +} is one whole level, a trailing {@code #} the parent and below. */
  static boolean matches(String[] filter, String[] topic) {
    // Wildcards at the first level never match the broker's own $SYS-style topics.
    if (topic.length > 0 && topic[0].startsWith("$") && !filter[0].equals(topic[0])) {
      return false;
    }
    for (int i = 0; i < filter.length; i++) {
      if (filter[i].equals("#")) {
        return true;
      }
      if (i >= topic.length) {
        return false;
      }
      if (!filter[i].equals("+") && !filter[i].equals(topic[i])) {
        return false;
      }
    }
    return filter.length == topic.length;
  }

  private record Filter(String[] levels, int deviceLevel) {}
}
