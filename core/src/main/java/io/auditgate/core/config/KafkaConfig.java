package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Section {@code kafka}: where the gateway's Kafka sink sends and the store consumer reads. Without
 * {@code bootstrap_servers} the gateway has no Kafka sink and writes straight to the store (edge
 * mode).
 *
 * @param clientProperties extra Kafka client properties (TLS, SASL), passed to producers and
 *     consumers as they are; values of keys naming a password or JAAS config are redacted when
 *     printed
 * @param deliveryTimeout how long the producer keeps trying one send before the dispatcher counts
 *     the sink as interrupted and backs off
 */
public record KafkaConfig(
    Optional<String> bootstrapServers,
    String telemetryTopic,
    String gatewayEventsTopic,
    String deviceEventsTopic,
    String firmwareStateTopic,
    String deadLetterTopic,
    Integer topicPartitions,
    Integer replicationFactor,
    Duration deliveryTimeout,
    Map<String, String> clientProperties) {
  private static final String TOPIC = "^[A-Za-z0-9._-]{1,249}$";

  public KafkaConfig {
    bootstrapServers =
        orDefault(bootstrapServers, Optional.<String>empty()).filter(s -> !s.isBlank());
    telemetryTopic =
        Check.matches("telemetry_topic", orDefault(telemetryTopic, "telemetry.v1"), TOPIC);
    gatewayEventsTopic =
        Check.matches(
            "gateway_events_topic", orDefault(gatewayEventsTopic, "gateway-events.v1"), TOPIC);
    deviceEventsTopic =
        Check.matches(
            "device_events_topic", orDefault(deviceEventsTopic, "device-events.v1"), TOPIC);
    firmwareStateTopic =
        Check.matches(
            "firmware_state_topic",
            orDefault(firmwareStateTopic, "device-firmware-state.v1"),
            TOPIC);
    deadLetterTopic =
        Check.matches("dead_letter_topic", orDefault(deadLetterTopic, "telemetry.dlq.v1"), TOPIC);
    topicPartitions = orDefault(topicPartitions, 6);
    Check.that(
        topicPartitions >= 1 && topicPartitions <= 10_000,
        "topic_partitions",
        "must be between 1 and 10000, got " + topicPartitions);
    replicationFactor = orDefault(replicationFactor, 1);
    Check.that(
        replicationFactor >= 1 && replicationFactor <= 32,
        "replication_factor",
        "must be between 1 and 32, got " + replicationFactor);
    deliveryTimeout =
        between(
            "delivery_timeout",
            orDefault(deliveryTimeout, Duration.ofSeconds(15)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    clientProperties = Map.copyOf(orDefault(clientProperties, Map.of()));
  }

  public static KafkaConfig defaults() {
    return new KafkaConfig(null, null, null, null, null, null, null, null, null, null);
  }

  /** The same settings sending to {@code bootstrap}. */
  public KafkaConfig withBootstrapServers(String bootstrap) {
    return new KafkaConfig(
        Optional.of(bootstrap),
        telemetryTopic,
        gatewayEventsTopic,
        deviceEventsTopic,
        firmwareStateTopic,
        deadLetterTopic,
        topicPartitions,
        replicationFactor,
        deliveryTimeout,
        clientProperties);
  }

  public boolean enabled() {
    return bootstrapServers.isPresent();
  }

  /** Whether a client property's value is a secret that must not be printed. */
  public static boolean isSecretProperty(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    // ssl.keystore.key and the like hold an inline PEM private key.
    return lower.contains("password")
        || lower.contains("jaas")
        || lower.contains("secret")
        || lower.endsWith(".key");
  }

  @Override
  public String toString() {
    Map<String, String> shown = new TreeMap<>();
    clientProperties.forEach((k, v) -> shown.put(k, isSecretProperty(k) ? "***" : v));
    return "KafkaConfig[bootstrapServers="
        + bootstrapServers
        + ", telemetryTopic="
        + telemetryTopic
        + ", gatewayEventsTopic="
        + gatewayEventsTopic
        + ", deviceEventsTopic="
        + deviceEventsTopic
        + ", firmwareStateTopic="
        + firmwareStateTopic
        + ", deadLetterTopic="
        + deadLetterTopic
        + ", topicPartitions="
        + topicPartitions
        + ", replicationFactor="
        + replicationFactor
        + ", deliveryTimeout="
        + deliveryTimeout
        + ", clientProperties="
        + shown
        + "]";
  }
}
