package io.auditgate.ingest.mqtt;

import java.util.List;

/**
 * The topics a device may use, decided from its authenticated id only: it publishes on {@code
 * devices/{id}/telemetry}, {@code devices/{id}/events} and {@code devices/{id}/firmware/state}, and
 * subscribes at or below {@code devices/{id}/commands}.
 */
final class DeviceTopics {
  private static final String PREFIX = "devices/";
  private static final List<String> PUBLISH_KINDS =
      List.of("telemetry", "events", "firmware/state");
  private static final int MAX_COMMAND_CHARS = 256;

  /** What a device may do with a topic it publishes to. */
  enum PublishVerdict {
    ALLOWED,
    /** Under another device's id: the authorisation failure the gateway exists to stop. */
    OTHER_DEVICE,
    /** Not one of the device topics at all. */
    UNKNOWN_TOPIC
  }

  /** What a device may do with a topic filter it subscribes to. */
  enum FilterVerdict {
    ALLOWED,
    /** Reaches beyond the device's own command topics. */
    NOT_AUTHORIZED,
    /** Not a valid filter: {@code #} or {@code +} sharing a level, {@code #} before the end. */
    INVALID,
    /** A shared subscription ({@code $share/...}), which the gateway does not offer. */
    SHARED_NOT_SUPPORTED
  }

  private DeviceTopics() {}

  static String eventsTopic(String deviceId) {
    return PREFIX + deviceId + "/events";
  }

  static String commandTopic(String deviceId, String command) {
    return PREFIX + deviceId + "/commands/" + command;
  }

  static PublishVerdict forPublish(String topic, String deviceId) {
    String own = PREFIX + deviceId + "/";
    if (topic.startsWith(own)) {
      return PUBLISH_KINDS.contains(topic.substring(own.length()))
          ? PublishVerdict.ALLOWED
          : PublishVerdict.UNKNOWN_TOPIC;
    }
    boolean deviceShaped =
        topic.startsWith(PREFIX) && topic.indexOf('/', PREFIX.length()) > PREFIX.length();
    return deviceShaped ? PublishVerdict.OTHER_DEVICE : PublishVerdict.UNKNOWN_TOPIC;
  }

  static FilterVerdict forSubscription(String filter, String deviceId) {
    if (filter.startsWith("$share/")) {
      return FilterVerdict.SHARED_NOT_SUPPORTED;
    }
    if (!isValidFilter(filter)) {
      return FilterVerdict.INVALID;
    }
    String commands = PREFIX + deviceId + "/commands";
    return filter.equals(commands) || filter.startsWith(commands + "/")
        ? FilterVerdict.ALLOWED
        : FilterVerdict.NOT_AUTHORIZED;
  }

  /** A command name is one or more topic levels without wildcards. */
  static boolean isValidCommand(String command) {
    return !command.isEmpty()
        && command.length() <= MAX_COMMAND_CHARS
        && !command.startsWith("/")
        && command.chars().noneMatch(c -> c == '+' || c == '#' || c == 0);
  }

  /** Topic filter syntax [MQTT-4.7.1-1], [MQTT-4.7.1-2], [MQTT-4.7.1-3]. */
  static boolean isValidFilter(String filter) {
    if (filter.isEmpty()) {
      return false;
    }
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }

  /** Whether {@code topic} matches the valid {@code filter} (section 4.7 of both versions). */
  static boolean matches(String filter, String topic) {
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || !(f[i].equals("+") || f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
