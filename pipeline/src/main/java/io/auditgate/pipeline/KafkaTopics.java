package io.auditgate.pipeline;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the Kafka sink sends each kind of record.
 *
 * @param telemetry record type TELEMETRY (schema {@code telemetry.v1})
 * @param deviceEvents record type DEVICE_EVENT with schema {@code device_event.v1}
 * @param firmwareState record type DEVICE_EVENT with schema {@code firmware_update.v1}
 * @param gatewayEvents record type GATEWAY_EVENT (schema {@code gateway_event.v1})
 */
public record KafkaTopics(
    String telemetry, String deviceEvents, String firmwareState, String gatewayEvents) {
  // Kafka's own rule for topic names; checked here so a typo fails at start-up, not per record.
  private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9._-]{1,249}$");

  /** The names of ARCHITECTURE.md's contract. */
  public static final KafkaTopics DEFAULTS =
      new KafkaTopics(
          "telemetry.v1", "device-events.v1", "device-firmware-state.v1", "gateway-events.v1");

  public KafkaTopics {
    check("telemetry", telemetry);
    check("device_events", deviceEvents);
    check("firmware_state", firmwareState);
    check("gateway_events", gatewayEvents);
  }

  /** Every distinct topic name. */
  public List<String> all() {
    return List.of(telemetry, deviceEvents, firmwareState, gatewayEvents).stream()
        .distinct()
        .toList();
  }

  private static void check(String key, String name) {
    if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "topic " + key + " must match " + NAME.pattern() + ", got " + name);
    }
  }
}
