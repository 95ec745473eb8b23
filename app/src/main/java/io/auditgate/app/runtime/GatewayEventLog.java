package io.auditgate.app.runtime;

import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.RecoveryReport;
import io.auditgate.core.wal.WriteAheadLog;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the gateway's own lifecycle into its log, where the dispatcher forwards it like telemetry
 * (Kafka topic {@code gateway-events.v1}, the store's gateway-event table): that is how a restart,
 * a crash recovery or an upstream outage becomes evidence an auditor can line up with stale
 * devices. Thread-safe.
 */
final class GatewayEventLog {
  private static final Logger log = LoggerFactory.getLogger(GatewayEventLog.class);

  private final WriteAheadLog wal;
  private final String gatewayId;
  private final Clock clock;
  private final GatewayEventCodec codec = new GatewayEventCodec();
  private final LongAdder notRecorded = new LongAdder();

  GatewayEventLog(WriteAheadLog wal, String gatewayId, Clock clock) {
    this.wal = wal;
    this.gatewayId = gatewayId;
    this.clock = clock;
  }

  /** The start, preceded by what recovery found when the last run did not stop cleanly. */
  void started(RecoveryReport recovery) {
    // A new, empty log has no clean-shutdown marker either; only a log with records was cut short.
    boolean crashed = !recovery.cleanShutdown() && recovery.records() > 0;
    if (crashed || recovery.bytesTruncated() > 0) {
      record(
          GatewayEvent.Kind.RECOVERED,
          Map.of(
              "clean_shutdown", Boolean.toString(recovery.cleanShutdown()),
              "bytes_truncated", Long.toString(recovery.bytesTruncated()),
              "records_held", Long.toString(recovery.records()),
              "segments", Integer.toString(recovery.segments())));
    }
    record(GatewayEvent.Kind.STARTED, Map.of("records_held", Long.toString(recovery.records())));
  }

  /**
   * Appends one event and waits (briefly) until it is durable: events are rare, and a start or a
   * stop must be in the log before what follows it.
   */
  void record(GatewayEvent.Kind kind, Map<String, String> attributes) {
    byte[] body = codec.encode(new GatewayEvent(gatewayId, kind, clock.instant(), attributes));
    AppendOutcome outcome = wal.append(RecordTypes.GATEWAY_EVENT, body);
    if (outcome instanceof AppendOutcome.Refused refused) {
      // A full log refuses devices too; the event is lost as evidence but the refusal is counted
      // and logged, never silent.
      notRecorded.increment();
      log.warn("gateway event {} not recorded: {}", kind.wireName(), refused.message());
    } else {
      try {
        ((AppendOutcome.Accepted) outcome).durable().get(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        notRecorded.increment();
        log.warn("gateway event {} not made durable: {}", kind.wireName(), e.toString());
      }
    }
  }

  /** Events refused by a full or failed log. */
  long notRecorded() {
    return notRecorded.sum();
  }
}
