package io.auditgate.pipeline.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the sink's topics if they are missing, with the partitions and replication the gateway
 * wants. Broker auto-creation would use the cluster's defaults (often 1 partition, which caps the
 * store's consumer group at one member) and is disabled on many production clusters.
 */
public final class TopicCreator {
  private static final Logger log = LoggerFactory.getLogger(TopicCreator.class);

  private final Properties adminProperties;
  private final List<String> topics;
  private final int partitions;
  private final short replicationFactor;
  private final Duration timeout;

  public TopicCreator(
      Properties adminProperties,
      List<String> topics,
      int partitions,
      short replicationFactor,
      Duration timeout) {
    this.adminProperties = adminProperties;
    this.topics = List.copyOf(topics);
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    this.timeout = timeout;
  }

  /**
   * Creates what is missing; blocks up to about the timeout.
   *
   * @return empty when every topic exists now (or the cluster does not let this client create
   *     topics, so they must be provisioned by their owner), else why not, to retry later
   */
  public Optional<String> ensure() {
    List<NewTopic> wanted = new ArrayList<>();
    topics.forEach(t -> wanted.add(new NewTopic(t, partitions, replicationFactor)));
    Admin admin;
    try {
      admin = Admin.create(adminProperties);
    } catch (RuntimeException e) {
      return Optional.of("cannot create an admin client: " + e);
    }
    try {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(wanted).values();
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
        try {
          result.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
          log.info(
              "created topic {} ({} partitions, replication {})",
              result.getKey(),
              partitions,
              replicationFactor);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof TopicExistsException) {
            continue;
          }
          if (e.getCause() instanceof AuthorizationException) {
            log.warn(
                "not allowed to create topic {}; it must exist already: {}",
                result.getKey(),
                e.getCause().getMessage());
            continue;
          }
          return Optional.of("cannot create topic " + result.getKey() + ": " + e.getCause());
        } catch (TimeoutException e) {
          return Optional.of("creating topic " + result.getKey() + " timed out after " + timeout);
        }
      }
      return awaitLeaders(admin, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while creating topics");
    } catch (RuntimeException e) {
      return Optional.of("cannot create topics: " + e);
    } finally {
      // Whatever is still pending was given up on above; do not wait for it.
      admin.close(Duration.ZERO);
    }
  }

  /**
   * Waits until every partition of the topics has a leader. A topic just created is announced
   * before its partitions have leaders; records sent meanwhile can wait in the producer until they
   * expire.
   */
  private Optional<String> awaitLeaders(Admin admin, long deadline) throws InterruptedException {
    while (true) {
      try {
        Map<String, TopicDescription> described =
            admin
                .describeTopics(topics)
                .allTopicNames()
                .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        boolean led =
            described.values().stream()
                .flatMap(d -> d.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
        if (led) {
          return Optional.empty();
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RetriableException)) {
          // Not allowed to describe: the producer will find out for itself.
          log.debug("cannot describe topics {}: {}", topics, e.getCause().toString());
          return Optional.empty();
        }
      } catch (TimeoutException e) {
        return Optional.of("topics " + topics + " have no partition leaders yet");
      }
      if (System.nanoTime() > deadline) {
        return Optional.of("topics " + topics + " have no partition leaders yet");
      }
      Thread.sleep(50);
    }
  }
}
