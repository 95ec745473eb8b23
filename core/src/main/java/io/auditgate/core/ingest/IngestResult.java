package io.auditgate.core.ingest;

import io.auditgate.core.telemetry.Telemetry;
import java.time.Duration;

/**
 * How the gateway answered one message. Each transport maps it to its own words in one place: MQTT
 * PUBACK/PUBREC reason codes, HTTP status codes.
 */
public sealed interface IngestResult {

  /** Durable in the write-ahead log: the device may now be acknowledged. */
  record Stored(long walOffset, Telemetry telemetry) implements IngestResult {}

  /**
   * Refused for what it is (malformed, too large, not this device's topic); kept in the dead-letter
   * log as evidence. Resending the same bytes will fail the same way.
   */
  record Rejected(Reason reason, String message, long deadLetterSequence) implements IngestResult {}

  /**
   * Not stored because the gateway cannot store anything now (the log is full or failed); the
   * device should retry after {@code retryAfter}. Never acknowledged.
   */
  record Busy(String message, Duration retryAfter) implements IngestResult {}

  /** Stable reason codes: the counter label, the dead-letter reason and the error {@code code}. */
  enum Reason {
    INVALID_JSON("invalid_json"),
    INVALID_SENML("invalid_senml"),
    INVALID_FIELD("invalid_field"),
    TOO_MANY_METRICS("too_many_metrics"),
    TOO_MANY_TAGS("too_many_tags"),
    NON_FINITE_METRIC("non_finite_metric"),
    INVALID_TIMESTAMP("invalid_timestamp"),
    PAYLOAD_TOO_LARGE("payload_too_large"),
    WRONG_DEVICE("wrong_device"),
    UNKNOWN_TOPIC("unknown_topic");

    private final String code;

    Reason(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }
}
