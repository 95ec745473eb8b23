package io.auditgate.pipeline;

import io.auditgate.core.config.KafkaConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the {@link KafkaSink} reaches Kafka.
 *
 * @param bootstrapServers {@code host:port[,host:port…]}
 * @param topics topic per kind of record
 * @param clientId the producer's {@code client.id} (the admin client's gets {@code -admin})
 * @param compression {@code lz4} by default: cheap on a gateway's CPU; {@code zstd} packs tighter
 *     for metered uplinks; {@code none}, {@code gzip}, {@code snappy} also work
 * @param deliveryTimeout how long a sent record may take to be acknowledged by every in-sync
 *     replica, retries included, before the sink reports the batch interrupted ({@code
 *     delivery.timeout.ms}); the request timeout is half of it
 * @param maxBlock how long sending may wait for metadata or buffer space ({@code max.block.ms}): an
 *     unreachable cluster is reported within this, not after {@code deliveryTimeout}
 * @param maxRequestBytes the largest record Kafka is asked to take ({@code max.request.size});
 *     larger records are rejected to the dead-letter log
 * @param createTopics create missing topics on first delivery (with {@code topicPartitions} and
 *     {@code replicationFactor}); when the cluster refuses (no permission), the topics must exist
 * @param topicPartitions partitions of topics the sink creates: the ceiling of store consumers that
 *     can share the stream
 * @param replicationFactor replicas of topics the sink creates: 1 for a single embedded broker, 3
 *     for a production cluster
 * @param extraProperties further producer and admin client properties, typically TLS and SASL
 *     ({@code security.protocol}, {@code ssl.truststore.location}, {@code sasl.mechanism}, …); they
 *     may not weaken the delivery or ordering guarantee ({@code acks}, {@code enable.idempotence},
 *     {@code max.in.flight.requests.per.connection}, the serializers and {@code transactional.id}
 *     are refused)
 */
public record KafkaSinkSettings(
    String bootstrapServers,
    KafkaTopics topics,
    String clientId,
    String compression,
    Duration deliveryTimeout,
    Duration maxBlock,
    int maxRequestBytes,
    boolean createTopics,
    int topicPartitions,
    short replicationFactor,
    Map<String, String> extraProperties) {

  /** Properties that carry the sink's guarantee and may not be overridden. */
  public static final Set<String> FIXED_PROPERTIES =
      Set.of(
          "acks",
          "enable.idempotence",
          "key.serializer",
          "value.serializer",
          "transactional.id",
          "max.in.flight.requests.per.connection",
          "bootstrap.servers");

  private static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");

  public KafkaSinkSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap_servers must not be empty");
    }
    Objects.requireNonNull(topics, "topics");
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("client_id must not be empty");
    }
    if (!COMPRESSIONS.contains(compression)) {
      throw new IllegalArgumentException(
          "compression must be one of " + new TreeSet<>(COMPRESSIONS) + ", got " + compression);
    }
    between("delivery_timeout", deliveryTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
    between("max_block", maxBlock, Duration.ofMillis(100), Duration.ofMinutes(10));
    if (maxRequestBytes < 1024) {
      throw new IllegalArgumentException(
          "max_request_size must be at least 1KiB, got " + maxRequestBytes);
    }
    if (topicPartitions < 1) {
      throw new IllegalArgumentException("topic_partitions must be >= 1, got " + topicPartitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          "replication_factor must be >= 1, got " + replicationFactor);
    }
    extraProperties = Map.copyOf(extraProperties == null ? Map.of() : extraProperties);
    for (String key : extraProperties.keySet()) {
      if (FIXED_PROPERTIES.contains(key)) {
        throw new IllegalArgumentException(
            "kafka property " + key + " is fixed by the sink and cannot be overridden");
      }
    }
  }

  /**
   * Defaults for {@code bootstrapServers}: the contract's topics, lz4, 10 s delivery timeout, 5 s
   * max block, 1 MiB requests, topics created with 6 partitions and replication factor 1.
   */
  public static KafkaSinkSettings defaults(String bootstrapServers) {
    return new KafkaSinkSettings(
        bootstrapServers,
        KafkaTopics.DEFAULTS,
        "auditgate-gateway",
        "lz4",
        Duration.ofSeconds(10),
        Duration.ofSeconds(5),
        1024 * 1024,
        true,
        6,
        (short) 1,
        Map.of());
  }

  /**
   * The settings of configuration section {@code kafka}, with this sink's defaults for what the
   * section does not say (lz4, 5 s max block, 1 MiB requests, topics created).
   *
   * @throws IllegalArgumentException if the section has no {@code bootstrap_servers}
   */
  public static KafkaSinkSettings from(KafkaConfig config, String clientId) {
    String bootstrap =
        config
            .bootstrapServers()
            .orElseThrow(() -> new IllegalArgumentException("kafka.bootstrap_servers is not set"));
    KafkaSinkSettings defaults = defaults(bootstrap);
    return new KafkaSinkSettings(
        bootstrap,
        new KafkaTopics(
            config.telemetryTopic(),
            config.deviceEventsTopic(),
            config.firmwareStateTopic(),
            config.gatewayEventsTopic()),
        clientId,
        defaults.compression(),
        config.deliveryTimeout(),
        defaults.maxBlock(),
        defaults.maxRequestBytes(),
        true,
        config.topicPartitions(),
        (short) (int) config.replicationFactor(),
        config.clientProperties());
  }

  /** These settings with other timeouts. */
  public KafkaSinkSettings withTimeouts(Duration delivery, Duration block) {
    return new KafkaSinkSettings(
        bootstrapServers,
        topics,
        clientId,
        compression,
        delivery,
        block,
        maxRequestBytes,
        createTopics,
        topicPartitions,
        replicationFactor,
        extraProperties);
  }

  /** These settings with another record size limit. */
  public KafkaSinkSettings withMaxRequestBytes(int bytes) {
    return new KafkaSinkSettings(
        bootstrapServers,
        topics,
        clientId,
        compression,
        deliveryTimeout,
        maxBlock,
        bytes,
        createTopics,
        topicPartitions,
        replicationFactor,
        extraProperties);
  }

  /** These settings with other topics. */
  public KafkaSinkSettings withTopics(KafkaTopics other) {
    return new KafkaSinkSettings(
        bootstrapServers,
        other,
        clientId,
        compression,
        deliveryTimeout,
        maxBlock,
        maxRequestBytes,
        createTopics,
        topicPartitions,
        replicationFactor,
        extraProperties);
  }

  /** These settings with further client properties (TLS, SASL, …). */
  public KafkaSinkSettings withExtraProperties(Map<String, String> extra) {
    return new KafkaSinkSettings(
        bootstrapServers,
        topics,
        clientId,
        compression,
        deliveryTimeout,
        maxBlock,
        maxRequestBytes,
        createTopics,
        topicPartitions,
        replicationFactor,
        extra);
  }

  private static void between(String key, Duration value, Duration min, Duration max) {
    if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          key + " must be between " + min + " and " + max + ", got " + value);
    }
  }
}
