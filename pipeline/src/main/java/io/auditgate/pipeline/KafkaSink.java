package io.auditgate.pipeline;

import io.auditgate.core.sink.Delivery;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.envelope.KafkaRecordHeaders;
import io.auditgate.pipeline.internal.RecordRouter;
import io.auditgate.pipeline.internal.RecordRouter.Route;
import io.auditgate.pipeline.internal.SendFailure;
import io.auditgate.pipeline.internal.TopicCreator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards log records to Kafka with an idempotent producer ({@code acks=all}, idempotence on): the
 * stored envelope bytes verbatim as the value, the device id (gateway id for gateway events) as the
 * key so each device's records stay in order in one partition, and the headers of {@link
 * KafkaRecordHeaders}. Topics per {@link KafkaTopics}.
 *
 * <p>{@link #deliver} sends the whole batch asynchronously, then waits for every acknowledgement.
 * The first record (in log order) that failed decides the outcome: a failure only that record can
 * have (too large, unreadable envelope) rejects it and the batch goes on; any other failure
 * interrupts the batch there, and the dispatcher resends from that record. Records after it may
 * already be in Kafka and are then sent twice, which is why the store deduplicates on the
 * idempotency key. Before it reports the interruption the sink waits until every later record of
 * the batch has landed or failed (or discards the producer, aborting them), so nothing of a failed
 * attempt reaches Kafka after the resend: the last copy of each record is in log order per device.
 * An unreachable cluster is reported within {@link KafkaSinkSettings#maxBlock()} (no metadata) or
 * {@link KafkaSinkSettings#deliveryTimeout()} (no acknowledgement), never later. After a failure
 * that leaves the producer unusable (fenced, out of sequence, closed) the next batch uses a new
 * producer.
 *
 * <p>Thread-safety: {@link #deliver} is called by one thread at a time (the dispatcher's thread for
 * this sink); {@link #close()} may be called from another.
 */
public final class KafkaSink implements TelemetrySink {
  /** The sink's name, and so its cursor's. */
  public static final String NAME = "kafka";

  private static final Logger log = LoggerFactory.getLogger(KafkaSink.class);
  // Beyond Kafka's own bounds, so that a producer that never completes a future cannot hang us.
  private static final Duration SAFETY_MARGIN = Duration.ofSeconds(5);

  private final KafkaSinkSettings settings;
  private final RecordRouter router;
  private final TopicCreator topicCreator;
  private final Properties producerProperties;
  private final Duration waitLimit;

  private volatile Producer<byte[], byte[]> producer;
  private volatile boolean closed;
  private boolean topicsReady;

  /**
   * Builds the producer (which checks the settings) without connecting: a cluster that is down at
   * start-up shows as interrupted deliveries, not as a failure to start.
   *
   * @throws PipelineException if Kafka refuses the client properties
   */
  public KafkaSink(KafkaSinkSettings settings) {
    this.settings = settings;
    this.router = new RecordRouter(settings.topics());
    this.producerProperties = producerProperties(settings);
    this.topicCreator =
        settings.createTopics()
            ? new TopicCreator(
                adminProperties(settings),
                settings.topics().all(),
                settings.topicPartitions(),
                settings.replicationFactor(),
                settings.maxBlock().plus(settings.deliveryTimeout()))
            : null;
    this.topicsReady = !settings.createTopics();
    this.waitLimit = settings.deliveryTimeout().plus(settings.maxBlock()).plus(SAFETY_MARGIN);
    this.producer = newProducer();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Delivery deliver(List<WalRecord> records) {
    if (records.isEmpty()) {
      return Delivery.Delivered.all();
    }
    long first = records.get(0).offset();
    if (closed) {
      return new Delivery.Interrupted(first, List.of(), "kafka sink closed");
    }
    if (!topicsReady) {
      Optional<String> problem = topicCreator.ensure();
      if (problem.isPresent()) {
        return new Delivery.Interrupted(first, List.of(), problem.get());
      }
      topicsReady = true;
    }
    Producer<byte[], byte[]> current = producer();
    List<Pending> pending = send(current, records);
    return await(current, pending);
  }

  /** One record on its way: rejected before sending, or sent with its acknowledgement to come. */
  private record Pending(
      WalRecord record, Delivery.Rejection rejection, Future<RecordMetadata> ack) {}

  private List<Pending> send(Producer<byte[], byte[]> current, List<WalRecord> records) {
    List<Pending> pending = new ArrayList<>(records.size());
    for (WalRecord record : records) {
      Route route = router.route(record);
      if (route instanceof Route.Unroutable bad) {
        pending.add(
            new Pending(
                record,
                new Delivery.Rejection(record.offset(), bad.reasonCode(), bad.detail()),
                null));
        continue;
      }
      Route.Routed to = (Route.Routed) route;
      Future<RecordMetadata> ack;
      try {
        ack = current.send(toProducerRecord(record, to));
      } catch (RuntimeException e) {
        // KafkaProducer reports most failures through the future; what it throws (closed,
        // interrupted, a bug) is handled the same way.
        ack = CompletableFuture.failedFuture(e);
      }
      pending.add(new Pending(record, null, ack));
      Throwable failed = ack.isDone() ? failure(ack) : null;
      if (failed != null && SendFailure.of(failed) != SendFailure.RECORD) {
        // Typically no metadata within max.block.ms: every further send would block as long
        // again, and the batch is interrupted here anyway.
        break;
      }
    }
    return pending;
  }

  private static Throwable failure(Future<RecordMetadata> done) {
    try {
      done.get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private ProducerRecord<byte[], byte[]> toProducerRecord(WalRecord record, Route.Routed to) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(KafkaRecordHeaders.GATEWAY_ID, KafkaRecordHeaders.gatewayId(to.gatewayId()));
    headers.add(KafkaRecordHeaders.WAL_OFFSET, KafkaRecordHeaders.walOffset(record.offset()));
    headers.add(KafkaRecordHeaders.RECORD_TYPE, new byte[] {record.type()});
    to.traceId()
        .flatMap(trace -> KafkaRecordHeaders.traceparent(trace, record.offset()))
        .ifPresent(
            tp ->
                headers.add(
                    KafkaRecordHeaders.TRACEPARENT, tp.getBytes(StandardCharsets.US_ASCII)));
    return new ProducerRecord<>(to.topic(), null, to.key(), record.body(), headers);
  }

  private Delivery await(Producer<byte[], byte[]> current, List<Pending> pending) {
    List<Delivery.Rejection> rejected = new ArrayList<>();
    long deadline = System.nanoTime() + waitLimit.toNanos();
    for (int i = 0; i < pending.size(); i++) {
      Pending p = pending.get(i);
      long offset = p.record().offset();
      if (p.rejection() != null) {
        rejected.add(p.rejection());
        continue;
      }
      try {
        p.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        switch (SendFailure.of(cause)) {
          case RECORD ->
              rejected.add(
                  new Delivery.Rejection(
                      offset, SendFailure.reasonCode(cause), String.valueOf(cause)));
          case RETRIABLE -> {
            settle(current, pending.subList(i + 1, pending.size()), deadline);
            return new Delivery.Interrupted(offset, rejected, "kafka: " + cause);
          }
          case INTERRUPTED -> {
            Thread.currentThread().interrupt();
            return new Delivery.Interrupted(offset, rejected, "interrupted");
          }
          case FATAL -> {
            log.warn("kafka producer failed ({}); replacing it", cause.toString());
            discard(current);
            return new Delivery.Interrupted(offset, rejected, "kafka producer failed: " + cause);
          }
        }
      } catch (TimeoutException e) {
        log.warn("kafka producer did not answer within {}; replacing it", waitLimit);
        discard(current);
        return new Delivery.Interrupted(offset, rejected, "kafka: no answer within " + waitLimit);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Delivery.Interrupted(offset, rejected, "interrupted");
      }
    }
    return new Delivery.Delivered(rejected);
  }

  /**
   * Waits until every record of {@code rest} (those after the one that failed) has landed or failed
   * for good, so that none of this attempt can reach Kafka after the dispatcher's resend and put a
   * device's records out of order. Each acknowledgement comes within the delivery timeout of its
   * send, and the batch was sent at once, so this adds little to the wait for the failed record. A
   * producer that has not answered them all by {@code deadline} is discarded, which aborts what it
   * still holds.
   */
  private void settle(Producer<byte[], byte[]> current, List<Pending> rest, long deadline) {
    for (Pending p : rest) {
      if (p.ack() == null) {
        continue;
      }
      try {
        p.ack().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        // Failed for good: it is resent with the rest.
      } catch (TimeoutException e) {
        log.warn("kafka producer did not settle a failed batch within {}; replacing it", waitLimit);
        discard(current);
        return;
      } catch (InterruptedException e) {
        // Stopping: make sure nothing of this attempt is still on its way when the next one runs.
        Thread.currentThread().interrupt();
        discard(current);
        return;
      }
    }
  }

  private Producer<byte[], byte[]> producer() {
    Producer<byte[], byte[]> current = producer;
    if (current == null) {
      current = newProducer();
      producer = current;
    }
    return current;
  }

  private Producer<byte[], byte[]> newProducer() {
    try {
      return new KafkaProducer<>(
          producerProperties, new ByteArraySerializer(), new ByteArraySerializer());
    } catch (KafkaException e) {
      throw new PipelineException("cannot create the kafka producer: " + e.getMessage(), e);
    }
  }

  /** Closes a producer that failed, without waiting for what it still holds (it is resent). */
  private void discard(Producer<byte[], byte[]> failed) {
    if (producer == failed) {
      producer = null;
    }
    try {
      failed.close(Duration.ZERO);
    } catch (RuntimeException e) {
      log.debug("closing a failed kafka producer", e);
    }
  }

  /**
   * Closes the producer, waiting briefly for records in flight; what was not acknowledged stays in
   * the log and is sent again by the next sink over the same cursor.
   */
  @Override
  public void close() {
    closed = true;
    Producer<byte[], byte[]> current = producer;
    producer = null;
    if (current != null) {
      current.close(Duration.ofSeconds(5));
    }
  }

  static Properties producerProperties(KafkaSinkSettings s) {
    Properties p = new Properties();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, s.clientId());
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, s.compression());
    // A little lingering lets batches form when the dispatcher sends many records at once.
    p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
    long deliveryMillis = s.deliveryTimeout().toMillis();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryMillis));
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(deliveryMillis / 2));
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(s.maxBlock().toMillis()));
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(s.maxRequestBytes()));
    p.putAll(s.extraProperties());
    // Last, so nothing above can weaken them (the settings refuse such extras anyway).
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, s.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // One request in flight per broker. With more, a retried batch can land after the batch
    // behind it: seen on a freshly created partition, whose first produce was refused with
    // NOT_LEADER_OR_FOLLOWER while the next batch, carrying later sequence numbers of a producer
    // the partition did not know yet, was accepted. Per-device order is the contract; the
    // dispatcher waits for each batch anyway, so little throughput is lost.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
    return p;
  }

  private static Properties adminProperties(KafkaSinkSettings s) {
    Properties p = new Properties();
    p.putAll(s.extraProperties());
    p.put("bootstrap.servers", s.bootstrapServers());
    p.put("client.id", s.clientId() + "-admin");
    long millis = s.maxBlock().plus(s.deliveryTimeout()).toMillis();
    p.put("request.timeout.ms", Long.toString(Math.max(1000, millis / 2)));
    p.put("default.api.timeout.ms", Long.toString(millis));
    return p;
  }
}
