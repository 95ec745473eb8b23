package io.auditgate.store;

import io.auditgate.core.retry.Backoff;
import io.auditgate.core.trace.StageTracer;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.KafkaRecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the store consumer group: reads the gateways' topics from Kafka and writes them
 * into the store. Scale out by starting more members with the same group id (on any machine); Kafka
 * shares the partitions among them.
 *
 * <p>Each poll is one batch and one database transaction ({@link StoreWriter}). Offsets are
 * committed only after the database committed, and only up to the end of that batch, so a crash or
 * a rebalance at any point leads to redelivery, never loss; what is redelivered is recognised by
 * the idempotency key and stored once. No batch is held across polls: when the database refuses a
 * batch, the member seeks back to the batch's first offsets, waits (capped exponential backoff with
 * jitter) and reads it again, so a rebalance in between simply hands those records to their new
 * owner. Poison records (not decodable, missing headers, refused by the database) go to the
 * dead-letter topic with the reason in headers, and the offsets move past them.
 *
 * <p>Runs on a thread of its own between {@link #start()} and {@link #close()}, which is the only
 * way it stops: an unexpected failure (a Kafka client error, a seek on a partition just revoked, a
 * bug) is logged and counted ({@link StoreConsumerMetrics#restarts()}), and the member closes its
 * Kafka consumer, waits (the same backoff as for a failed batch), creates a new one and subscribes
 * again. That is safe because offsets are never committed past what the database holds: the new
 * consumer starts from the committed offsets and what it reads again is stored once. {@link
 * #metrics()} is thread-safe.
 */
public final class StoreConsumer implements AutoCloseable {
  /**
   * Headers the consumer adds to a dead letter, next to the original's ({@link
   * KafkaRecordHeaders}): the reason code, what was wrong, and {@code topic-partition@offset} it
   * came from; UTF-8.
   */
  public static final String DLQ_REASON = "auditgate.dlq.reason";

  public static final String DLQ_DETAIL = "auditgate.dlq.detail";
  public static final String DLQ_SOURCE = "auditgate.dlq.source";

  private static final Logger log = LoggerFactory.getLogger(StoreConsumer.class);
  private static final Duration DLQ_SEND_TIMEOUT = Duration.ofSeconds(30);

  private final Backoff backoff;
  private final StoreConsumerOptions options;
  private final StoreWriter writer;
  private final Function<Properties, KafkaConsumer<byte[], byte[]>> newConsumer;
  private final Object consumerLock = new Object();
  // Replaced after an unexpected failure (the member's thread only); close() wakes up the current
  // one under consumerLock.
  private KafkaConsumer<byte[], byte[]> consumer;
  private int restartsInARow;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final Thread thread;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean stopping;

  private final Object metricsLock = new Object();
  private long stored;
  private long duplicates;
  private long poison;
  private long batches;
  private long retries;
  private long restarts;
  private double storedPerSecond;
  private long rateWindowStartNanos = System.nanoTime();
  private long rateWindowStored;
  private OptionalLong lag = OptionalLong.empty();
  private List<StoreConsumerMetrics.PartitionLag> partitionLags = List.of();
  // System.nanoTime() of the first failed attempt of the batch in hand; 0 when none is failing.
  private long failingSinceNanos;
  private Optional<String> lastError = Optional.empty();
  // Set by the constructor only (before the thread starts); the clock is read only when tracing.
  private StageTracer tracer = StageTracer.NOOP;
  private Clock clock;

  /**
   * @param writer the writer to use; the consumer closes it
   */
  public StoreConsumer(StoreConsumerOptions options, StoreWriter writer) {
    this(options, writer, KafkaConsumer::new);
  }

  /**
   * The same, recording each record's {@link StageTracer.Stage#STORE} stage (read from Kafka →
   * committed in the database and in Kafka) on {@code tracer}, timed by {@code clock}; records
   * without a {@code traceparent} header are not traced.
   */
  public StoreConsumer(
      StoreConsumerOptions options, StoreWriter writer, StageTracer tracer, Clock clock) {
    this(options, writer, KafkaConsumer::new);
    this.tracer = Objects.requireNonNull(tracer, "tracer");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param newConsumer creates the Kafka consumer from {@link #consumerProperties}: at construction
   *     and after each unexpected failure (tests hand in one that fails on purpose)
   */
  StoreConsumer(
      StoreConsumerOptions options,
      StoreWriter writer,
      Function<Properties, KafkaConsumer<byte[], byte[]>> newConsumer) {
    this.options = Objects.requireNonNull(options, "options");
    this.backoff = new Backoff(options.minBackoff(), options.maxBackoff(), new Random());
    this.writer = Objects.requireNonNull(writer, "writer");
    this.newConsumer = Objects.requireNonNull(newConsumer, "newConsumer");
    // Created here so that a configuration Kafka refuses fails the constructor, not the thread.
    this.consumer = newConsumer.apply(consumerProperties(options));
    this.deadLetters = new KafkaProducer<>(producerProperties(options));
    this.thread = new Thread(this::run, "store-consumer-" + options.groupId());
    this.thread.setDaemon(true);
  }

  /** Joins the group and starts consuming on the member's own thread. */
  public void start() {
    thread.start();
  }

  /**
   * Leaves the group and stops; waits up to 30 s for the batch in progress to end. Offsets of
   * batches not yet committed stay uncommitted, so another member (or this one restarted) reads
   * them again.
   */
  @Override
  public void close() {
    stopping = true;
    if (thread.getState() == Thread.State.NEW) {
      // Never started: release what the constructor opened.
      closeResources();
      return;
    }
    synchronized (consumerLock) {
      if (consumer != null) {
        consumer.wakeup();
      }
    }
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        log.warn("store consumer did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A snapshot of the counters. */
  public StoreConsumerMetrics metrics() {
    synchronized (metricsLock) {
      return new StoreConsumerMetrics(
          stored,
          duplicates,
          poison,
          batches,
          retries,
          storedPerSecond,
          lag,
          lastError,
          thread.isAlive(),
          restarts,
          failingSinceNanos == 0
              ? Duration.ZERO
              : Duration.ofNanos(System.nanoTime() - failingSinceNanos),
          partitionLags);
    }
  }

  private void run() {
    try {
      while (!stopping) {
        try {
          KafkaConsumer<byte[], byte[]> current;
          synchronized (consumerLock) {
            if (stopping) {
              break;
            }
            if (consumer == null) {
              consumer = newConsumer.apply(consumerProperties(options));
            }
            current = consumer;
          }
          consume(current);
        } catch (RuntimeException e) {
          if (stopping) {
            // close() woke the consumer up (WakeupException), or it failed on the way out
            log.debug("store consumer stopping", e);
            break;
          }
          if (Thread.currentThread().isInterrupted()) {
            log.error("store consumer thread interrupted, stopping", e);
            break;
          }
          restartAfter(e);
        }
      }
    } finally {
      closeResources();
    }
  }

  /** Subscribes and consumes until close(); throws what it does not know how to handle. */
  private void consume(KafkaConsumer<byte[], byte[]> current) {
    current.subscribe(options.topics(), new Rebalances());
    int failures = 0;
    while (!stopping) {
      ConsumerRecords<byte[], byte[]> polled = current.poll(options.pollTimeout());
      if (polled.isEmpty()) {
        restartsInARow = 0;
        updateLag();
        continue;
      }
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>(polled.count());
      polled.forEach(records::add);
      Optional<String> failure = handle(records);
      if (failure.isPresent()) {
        failures++;
        synchronized (metricsLock) {
          retries++;
          lastError = failure;
          if (failingSinceNanos == 0) {
            failingSinceNanos = System.nanoTime();
          }
        }
        if (failures == 1) {
          log.warn("store consumer batch failed, retrying with backoff: {}", failure.get());
        }
        seekBack(records);
        sleep(backoff(failures));
      } else {
        if (failures > 0) {
          log.info("store consumer writing again after {} failed attempts", failures);
        }
        failures = 0;
        restartsInARow = 0;
        synchronized (metricsLock) {
          failingSinceNanos = 0;
        }
        updateLag();
      }
    }
  }

  /**
   * After an unexpected failure: count it, drop the Kafka consumer (and the writer's connection,
   * whose state is unknown), wait; the loop then creates a new consumer. Nothing is lost: offsets
   * were committed only for batches the database holds.
   */
  private void restartAfter(RuntimeException e) {
    restartsInARow++;
    log.error(
        "store consumer failed unexpectedly; closing its Kafka consumer and subscribing again"
            + " after a backoff (restart {} in a row)",
        restartsInARow,
        e);
    synchronized (metricsLock) {
      restarts++;
      lastError = Optional.of("unexpected: " + e);
    }
    KafkaConsumer<byte[], byte[]> failed;
    synchronized (consumerLock) {
      failed = consumer;
      consumer = null;
    }
    closeQuietly(failed);
    writer.close();
    sleep(backoff(restartsInARow));
  }

  /** Writes, dead-letters and commits one batch; returns why it failed, if it did. */
  private Optional<String> handle(List<ConsumerRecord<byte[], byte[]>> records) {
    List<StoreRecord> toWrite = new ArrayList<>(records.size());
    List<ConsumerRecord<byte[], byte[]>> written = new ArrayList<>(records.size());
    List<DeadLetter> dead = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Optional<String> missing = missingHeader(r);
      if (missing.isPresent()) {
        dead.add(new DeadLetter(r, "missing_header", missing.get()));
      } else {
        toWrite.add(storeRecord(r));
        written.add(r);
      }
    }
    Instant writeStart = tracer.enabled() ? clock.instant() : null;
    WriteOutcome outcome = writer.write(toWrite);
    if (outcome instanceof WriteOutcome.Unavailable unavailable) {
      if (writeStart != null) {
        trace(written, writeStart, Optional.of("store unavailable: " + unavailable.reason()));
      }
      return Optional.of("store: " + unavailable.reason());
    }
    WriteOutcome.Written w = (WriteOutcome.Written) outcome;
    for (WriteOutcome.Poison p : w.poison()) {
      dead.add(new DeadLetter(written.get(p.index()), p.reasonCode(), p.detail()));
    }
    // Counted as soon as the database committed, whatever happens to dead letters and offsets.
    synchronized (metricsLock) {
      stored += w.stored();
      duplicates += w.duplicates();
      rateWindowStored += w.stored();
      long now = System.nanoTime();
      long window = now - rateWindowStartNanos;
      if (window >= TimeUnit.SECONDS.toNanos(1)) {
        storedPerSecond = rateWindowStored * 1e9 / window;
        rateWindowStored = 0;
        rateWindowStartNanos = now;
      }
    }
    Optional<String> dlqFailure = sendDeadLetters(dead);
    if (dlqFailure.isPresent()) {
      return dlqFailure;
    }
    synchronized (metricsLock) {
      poison += dead.size();
      batches++;
    }
    commit(records);
    if (writeStart != null) {
      trace(written, writeStart, Optional.empty());
    }
    return Optional.empty();
  }

  /** One {@code store} span per written record that carries a {@code traceparent}. */
  private void trace(
      List<ConsumerRecord<byte[], byte[]>> written, Instant start, Optional<String> error) {
    Instant end = clock.instant();
    for (ConsumerRecord<byte[], byte[]> r : written) {
      Optional<String> traceId =
          text(r.headers(), KafkaRecordHeaders.TRACEPARENT).flatMap(StoreConsumer::traceIdOf);
      if (traceId.isEmpty()) {
        continue;
      }
      try {
        tracer.record(
            StageTracer.Stage.STORE,
            traceId.get(),
            start,
            end,
            error,
            Map.of(
                "wal_offset",
                Long.toString(walOffset(r.headers()).orElse(-1)),
                "kafka_topic",
                r.topic(),
                "kafka_partition",
                Integer.toString(r.partition())));
      } catch (RuntimeException e) {
        log.debug("tracer failed", e);
      }
    }
  }

  /** The trace id of a W3C {@code traceparent} ({@code 00-<trace id>-<span id>-<flags>}). */
  static Optional<String> traceIdOf(String traceparent) {
    String[] parts = traceparent.split("-");
    return parts.length == 4 && parts[1].length() == 32 ? Optional.of(parts[1]) : Optional.empty();
  }

  private Optional<String> missingHeader(ConsumerRecord<byte[], byte[]> r) {
    if (r.value() == null) {
      return Optional.of("record has no value");
    }
    if (text(r.headers(), KafkaRecordHeaders.GATEWAY_ID).filter(s -> !s.isEmpty()).isEmpty()) {
      return Optional.of("no " + KafkaRecordHeaders.GATEWAY_ID + " header");
    }
    OptionalLong offset = walOffset(r.headers());
    if (offset.isEmpty() || offset.getAsLong() < 0) {
      return Optional.of("no valid 8-byte " + KafkaRecordHeaders.WAL_OFFSET + " header");
    }
    return Optional.empty();
  }

  private StoreRecord storeRecord(ConsumerRecord<byte[], byte[]> r) {
    byte fallbackType =
        r.topic().equals(options.gatewayEventsTopic())
            ? RecordTypes.GATEWAY_EVENT
            : RecordTypes.TELEMETRY;
    return new StoreRecord(
        text(r.headers(), KafkaRecordHeaders.GATEWAY_ID).orElseThrow(),
        walOffset(r.headers()).orElseThrow(),
        byteValue(r.headers(), KafkaRecordHeaders.RECORD_TYPE).orElse(fallbackType),
        r.value());
  }

  private record DeadLetter(ConsumerRecord<byte[], byte[]> record, String reason, String detail) {}

  private Optional<String> sendDeadLetters(List<DeadLetter> dead) {
    if (dead.isEmpty()) {
      return Optional.empty();
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>(dead.size());
    try {
      for (DeadLetter d : dead) {
        ConsumerRecord<byte[], byte[]> r = d.record();
        ProducerRecord<byte[], byte[]> letter =
            new ProducerRecord<>(options.deadLetterTopic(), null, r.key(), r.value(), r.headers());
        letter.headers().remove(DLQ_REASON);
        letter.headers().add(new RecordHeader(DLQ_REASON, utf8(d.reason())));
        letter.headers().add(new RecordHeader(DLQ_DETAIL, utf8(d.detail())));
        letter
            .headers()
            .add(
                new RecordHeader(
                    DLQ_SOURCE, utf8(r.topic() + "-" + r.partition() + "@" + r.offset())));
        sent.add(deadLetters.send(letter));
        log.warn(
            "dead letter {}-{}@{}: {} ({})",
            r.topic(),
            r.partition(),
            r.offset(),
            d.reason(),
            d.detail());
      }
      for (Future<RecordMetadata> f : sent) {
        f.get(DLQ_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return Optional.of("dead-letter topic: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while sending dead letters");
    }
  }

  private void commit(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      next.merge(
          new TopicPartition(r.topic(), r.partition()),
          new OffsetAndMetadata(r.offset() + 1),
          (a, b) -> a.offset() >= b.offset() ? a : b);
    }
    try {
      consumer.commitSync(next);
    } catch (WakeupException e) {
      // close() during the commit: retry it once so a finished batch is not redelivered for
      // nothing.
      consumer.commitSync(next);
      throw e;
    } catch (KafkaException e) {
      // Lost the partitions (rebalance) or Kafka is away: the database holds the batch, and
      // whoever reads it again finds it stored already.
      log.info(
          "offsets not committed ({}); the batch will be redelivered and deduplicated",
          e.toString());
    }
  }

  private void seekBack(List<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, Long> first = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    first.forEach(consumer::seek);
  }

  private Duration backoff(int failures) {
    return backoff.delay(Math.max(0, failures - 1));
  }

  private void sleep(Duration d) {
    long until = System.nanoTime() + d.toNanos();
    // Sleep in slices so that close() is not held up by a long backoff.
    while (!stopping && System.nanoTime() < until) {
      try {
        Thread.sleep(Math.min(50, Math.max(1, (until - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * The lag of every assigned partition from the consumer's own fetch positions ({@code currentLag}
   * answers from the last fetch, no round trip); the total only when every one is known.
   */
  private void updateLag() {
    long total = 0;
    boolean known = !consumer.assignment().isEmpty();
    List<StoreConsumerMetrics.PartitionLag> each = new ArrayList<>();
    for (TopicPartition tp : consumer.assignment()) {
      OptionalLong l = consumer.currentLag(tp);
      if (l.isEmpty()) {
        known = false;
        continue;
      }
      total += l.getAsLong();
      each.add(new StoreConsumerMetrics.PartitionLag(tp.topic(), tp.partition(), l.getAsLong()));
    }
    OptionalLong value = known ? OptionalLong.of(total) : OptionalLong.empty();
    synchronized (metricsLock) {
      lag = value;
      partitionLags = List.copyOf(each);
    }
  }

  private static void closeQuietly(KafkaConsumer<byte[], byte[]> c) {
    if (c == null) {
      return;
    }
    try {
      c.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.debug("closing the Kafka consumer", e);
    }
  }

  private void closeResources() {
    KafkaConsumer<byte[], byte[]> last;
    synchronized (consumerLock) {
      last = consumer;
      consumer = null;
    }
    closeQuietly(last);
    try {
      deadLetters.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      log.debug("closing the dead-letter producer", e);
    }
    writer.close();
    stopped.countDown();
  }

  private final class Rebalances implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // Nothing is held across polls and every finished batch is committed: nothing to do.
      log.debug("partitions revoked: {}", partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      log.info("store consumer assigned {}", partitions);
    }
  }

  /**
   * The member's consumer settings: defaults, then {@code kafkaOverrides}, then what the delivery
   * guarantee rests on, which no override may change: offsets are committed by the member after the
   * database commit only (auto-commit would move them past batches not yet stored), a new group
   * starts at the earliest offsets (else it would skip what is already in the topics), the group
   * and batch size are the options', and the records are read as bytes. The fetch size per
   * partition defaults to what a batch needs.
   */
  static Properties consumerProperties(StoreConsumerOptions o) {
    Properties p = new Properties();
    // A poll is a batch, and Kafka's default of 1 MiB per partition and fetch would cut a batch
    // at a few thousand records whatever the batch size says: allow ~1 KiB per record (an
    // envelope is a few hundred bytes), within Kafka's own 50 MiB per fetch unless overridden.
    long batchBytes = Math.max(1L << 20, Math.min((long) o.maxBatchRecords() * 1024, 50L << 20));
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Long.toString(batchBytes));
    p.putAll(o.kafkaOverrides());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, o.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(o.maxBatchRecords()));
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  /**
   * The dead-letter producer's settings: defaults, then {@code kafkaOverrides} (the consumer-only
   * ones left out), then what moving offsets past poison rests on: a dead letter counts as sent
   * only once every in-sync replica has it ({@code acks=all}), written once ({@code idempotence}).
   */
  static Properties producerProperties(StoreConsumerOptions o) {
    Properties p = new Properties();
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "auditgate-store-dlq-" + o.groupId());
    for (Map.Entry<String, String> e : o.kafkaOverrides().entrySet()) {
      if (!e.getKey().startsWith("group.") && !e.getKey().startsWith("max.poll")) {
        p.put(e.getKey(), e.getValue());
      }
    }
    // Last, so that no override weakens them (as the gateway's KafkaSink does).
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return p;
  }

  private static Optional<String> text(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null
        ? Optional.empty()
        : Optional.of(new String(h.value(), StandardCharsets.UTF_8));
  }

  private static OptionalLong walOffset(Headers headers) {
    Header h = headers.lastHeader(KafkaRecordHeaders.WAL_OFFSET);
    return h == null || h.value() == null || h.value().length != Long.BYTES
        ? OptionalLong.empty()
        : OptionalLong.of(KafkaRecordHeaders.walOffset(h.value()));
  }

  private static Optional<Byte> byteValue(Headers headers, String name) {
    Header h = headers.lastHeader(name);
    return h == null || h.value() == null || h.value().length != 1
        ? Optional.empty()
        : Optional.of(h.value()[0]);
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
