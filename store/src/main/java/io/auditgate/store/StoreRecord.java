package io.auditgate.store;

import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalRecord;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record for the store, wherever it came from: the gateway's log (direct sink) or a Kafka
 * record (store consumer: value = body, headers = the rest).
 *
 * @param gatewayId the gateway whose log holds the record; with {@code walOffset} the idempotency
 *     key of messages without a {@code seq}
 * @param walOffset the record's offset in that gateway's log
 * @param recordType a {@link RecordTypes} value
 * @param body the envelope ({@code telemetry.v1}, {@code device_event.v1}, {@code
 *     firmware_update.v1}) or gateway event ({@code gateway_event.v1}) bytes; not copied, callers
 *     must not modify it
 */
public record StoreRecord(String gatewayId, long walOffset, byte recordType, byte[] body) {
  public StoreRecord {
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(body, "body");
    if (gatewayId.isEmpty()) {
      throw new IllegalArgumentException("gatewayId must not be empty");
    }
    if (walOffset < 0) {
      throw new IllegalArgumentException("walOffset must be >= 0, got " + walOffset);
    }
  }

  /** The record as the direct sink reads it from the log of gateway {@code gatewayId}. */
  public static StoreRecord fromWal(String gatewayId, WalRecord record) {
    return new StoreRecord(gatewayId, record.offset(), record.type(), record.body());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoreRecord that
        && gatewayId.equals(that.gatewayId)
        && walOffset == that.walOffset
        && recordType == that.recordType
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(gatewayId, walOffset) * 31 + Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "StoreRecord[gatewayId=%s, walOffset=%d, recordType=%d, %d bytes]"
        .formatted(gatewayId, walOffset, recordType, body.length);
  }
}
