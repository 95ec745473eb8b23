package io.auditgate.core.sink;

import io.auditgate.core.wal.WalRecord;
import java.util.List;

/**
 * Where the dispatcher delivers what the write-ahead log holds: Kafka, or the store directly.
 *
 * <p>The dispatcher reads the log through one cursor per sink, named {@link #name()}, and advances
 * that cursor only past records this sink reported delivered. A record may therefore be offered
 * again after a retry or a gateway restart, and every sink must make resends harmless (Kafka: the
 * store's idempotency key; the store: {@code ON CONFLICT DO NOTHING}).
 *
 * <p>Called from one dispatcher thread at a time; {@link #deliver} blocks until the outcome is
 * known or the sink's own timeout passes. It never throws for a failed delivery: failures are
 * outcomes.
 */
public interface TelemetrySink extends AutoCloseable {
  /** A stable name, also the name of this sink's cursor in the write-ahead log. */
  String name();

  /**
   * Delivers {@code records} (in log order, offsets ascending) and reports how far it got.
   *
   * @return {@link Delivery.Delivered} when every record is durably accepted or permanently
   *     rejected; {@link Delivery.Interrupted} when the sink could not finish, with the offset from
   *     which the dispatcher must retry (everything before it was delivered)
   */
  Delivery deliver(List<WalRecord> records);

  /** Releases connections and threads; records not yet delivered stay in the log. */
  @Override
  void close();
}
