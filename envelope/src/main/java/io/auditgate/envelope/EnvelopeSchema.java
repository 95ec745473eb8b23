package io.auditgate.envelope;

import io.auditgate.core.wal.RecordTypes;
import java.util.Optional;

/** What an envelope holds, named as its {@code schema} field says, and its record type. */
public enum EnvelopeSchema {
  /** Telemetry from {@code devices/{id}/telemetry} or {@code POST /v1/ingest/{id}}. */
  TELEMETRY_V1("telemetry.v1", RecordTypes.TELEMETRY),
  /** A device event from {@code devices/{id}/events}. */
  DEVICE_EVENT_V1("device_event.v1", RecordTypes.DEVICE_EVENT),
  /**
   * A firmware state report from {@code devices/{id}/firmware/state}; the name the control plane's
   * {@code DeviceFirmwareStateEvent} consumer expects.
   */
  FIRMWARE_UPDATE_V1("firmware_update.v1", RecordTypes.DEVICE_EVENT);

  private final String wireName;
  private final byte recordType;

  EnvelopeSchema(String wireName, byte recordType) {
    this.wireName = wireName;
    this.recordType = recordType;
  }

  /** The {@code schema} field's value. */
  public String wireName() {
    return wireName;
  }

  /** The write-ahead log record type envelopes of this schema are stored as. */
  public byte recordType() {
    return recordType;
  }

  public static Optional<EnvelopeSchema> fromWireName(String name) {
    for (EnvelopeSchema schema : values()) {
      if (schema.wireName.equals(name)) {
        return Optional.of(schema);
      }
    }
    return Optional.empty();
  }
}
