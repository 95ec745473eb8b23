package io.auditgate.store;

import io.auditgate.core.sink.Delivery;
import io.auditgate.core.sink.TelemetrySink;
import io.auditgate.core.wal.WalRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Edge mode, when no Kafka is configured: the dispatcher delivers the gateway's log straight into
 * the store, with the same idempotency as the Kafka path (a record offered again after a retry or a
 * restart is recognised by its key and stored once).
 *
 * <p>Records are written in chunks of at most {@code maxBatchRecords}, one transaction each. A
 * chunk is {@link Delivery.Delivered} only once its transaction committed; records the store can
 * never hold come back as {@link Delivery.Rejection}s with the writer's reason code. When the
 * database is unreachable the delivery is {@link Delivery.Interrupted} at the first record of the
 * chunk that failed (earlier chunks are committed; the failed one may be partly committed, see
 * {@link WriteOutcome.Unavailable}), and the next delivery reconnects on its own and offers that
 * chunk again, whose stored records are then recognised as duplicates.
 *
 * <p>Called from one dispatcher thread at a time, as {@link TelemetrySink} says; blocks for the
 * database round trips, bounded by the store options' timeouts.
 */
public final class DirectStoreSink implements TelemetrySink {
  /** The sink's name, and the name of its cursor in the log. */
  public static final String NAME = "store";

  private static final Logger log = LoggerFactory.getLogger(DirectStoreSink.class);

  private final String gatewayId;
  private final StoreWriter writer;
  private final int maxBatchRecords;
  private boolean interrupted;

  /**
   * @param gatewayId this gateway's id: with the log offset, the key of messages without a seq
   * @param writer the writer to use; the sink closes it
   * @param maxBatchRecords records per transaction, at least 1
   */
  public DirectStoreSink(String gatewayId, StoreWriter writer, int maxBatchRecords) {
    this.gatewayId = Objects.requireNonNull(gatewayId, "gatewayId");
    this.writer = Objects.requireNonNull(writer, "writer");
    if (maxBatchRecords < 1) {
      throw new IllegalArgumentException("maxBatchRecords must be >= 1, got " + maxBatchRecords);
    }
    this.maxBatchRecords = maxBatchRecords;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Delivery deliver(List<WalRecord> records) {
    List<Delivery.Rejection> rejected = new ArrayList<>();
    for (int from = 0; from < records.size(); from += maxBatchRecords) {
      List<WalRecord> chunk =
          records.subList(from, Math.min(records.size(), from + maxBatchRecords));
      List<StoreRecord> batch = new ArrayList<>(chunk.size());
      for (WalRecord r : chunk) {
        batch.add(StoreRecord.fromWal(gatewayId, r));
      }
      WriteOutcome outcome = writer.write(batch);
      if (outcome instanceof WriteOutcome.Unavailable unavailable) {
        if (!interrupted) {
          log.warn("store unavailable, delivery paused: {}", unavailable.reason());
          interrupted = true;
        }
        return new Delivery.Interrupted(
            chunk.get(0).offset(), rejected, "store unavailable: " + unavailable.reason());
      }
      WriteOutcome.Written written = (WriteOutcome.Written) outcome;
      for (WriteOutcome.Poison p : written.poison()) {
        rejected.add(
            new Delivery.Rejection(chunk.get(p.index()).offset(), p.reasonCode(), p.detail()));
      }
    }
    if (interrupted) {
      log.info("store available again, delivering");
      interrupted = false;
    }
    return new Delivery.Delivered(rejected);
  }

  @Override
  public void close() {
    writer.close();
  }
}
