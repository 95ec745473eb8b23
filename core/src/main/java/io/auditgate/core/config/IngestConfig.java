package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;

/**
 * The ingest pipeline's settings (section {@code ingest}). Every field may be left out; the compact
 * constructor fills in the defaults and rejects values that cannot work.
 *
 * @param maxBodySize largest message body; larger ones are refused as {@code payload_too_large}.
 *     The device contract promises 64KiB, so this may only lower it
 * @param maxJsonDepth deepest nesting of arrays and objects a body may have; bounds the parser's
 *     stack and the work per message, whatever a hostile device sends
 * @param retryAfterFull what a device is told to wait when the log is full or too old: sinks drain
 *     the log continuously, so space comes back quickly
 * @param retryAfterFailure what a device is told to wait when the log failed or is closed: that
 *     takes an operator or a restart, so retrying sooner only adds load
 * @param seqWindow sequence numbers remembered per device to tell duplicates from reordering; a
 *     power of two, since the window is a ring of bits
 * @param maxTrackedDevices devices whose sequence state is kept at most; the least recently seen is
 *     forgotten beyond this, which bounds memory however many device ids appear
 */
public record IngestConfig(
    DataSize maxBodySize,
    Integer maxJsonDepth,
    Duration retryAfterFull,
    Duration retryAfterFailure,
    Integer seqWindow,
    Integer maxTrackedDevices) {

  /** The largest body the device contract allows (64KiB). */
  public static final DataSize CONTRACT_MAX_BODY_SIZE = DataSize.ofKibibytes(64);

  public IngestConfig {
    maxBodySize =
        between(
            "max_body_size",
            orDefault(maxBodySize, CONTRACT_MAX_BODY_SIZE),
            DataSize.ofKibibytes(1),
            CONTRACT_MAX_BODY_SIZE);
    maxJsonDepth = intBetween("max_json_depth", orDefault(maxJsonDepth, 32), 4, 256);
    retryAfterFull =
        between(
            "retry_after_full",
            orDefault(retryAfterFull, Duration.ofSeconds(1)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    retryAfterFailure =
        between(
            "retry_after_failure",
            orDefault(retryAfterFailure, Duration.ofSeconds(5)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    seqWindow = intBetween("seq_window", orDefault(seqWindow, 1024), 64, 65536);
    Check.that(
        Integer.bitCount(seqWindow) == 1, "seq_window", "must be a power of two, got " + seqWindow);
    maxTrackedDevices =
        intBetween("max_tracked_devices", orDefault(maxTrackedDevices, 100_000), 1, 10_000_000);
  }

  /** Every setting at its default. */
  public static IngestConfig defaults() {
    return new IngestConfig(null, null, null, null, null, null);
  }

  private static int intBetween(String key, int value, int min, int max) {
    Check.that(
        value >= min && value <= max,
        key,
        "must be between " + min + " and " + max + ", got " + value);
    return value;
  }
}
