package io.auditgate.core.wal;

/** Record types the gateway writes into its log; the log only checks they are in range. */
public final class RecordTypes {
  /** A normalised telemetry message accepted from a device. */
  public static final byte TELEMETRY = 1;

  /** A device event (will message, firmware state, …). */
  public static final byte DEVICE_EVENT = 2;

  /** A gateway lifecycle event (start, stop, recovery, outage). */
  public static final byte GATEWAY_EVENT = 3;

  private RecordTypes() {}

  /** Record types are 1..127; 0 and negative bytes are reserved by the log's own framing. */
  public static byte requireValid(byte type) {
    if (type <= 0) {
      throw new IllegalArgumentException("record type must be 1..127, got " + type);
    }
    return type;
  }
}
