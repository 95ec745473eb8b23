package io.auditgate.ingest.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the gateway has seen of one device's {@code seq} stream and clock, since it began tracking
 * the device (the gateway's start, or the device's return after being forgotten).
 *
 * @param deviceId the device
 * @param messages stored messages, with or without {@code seq}
 * @param highestSeq the highest {@code seq} since the device's last restart, if it sent any
 * @param gaps forward jumps by more than one
 * @param missing numbers jumped over and not received since (a late arrival fills one)
 * @param duplicates numbers received again
 * @param reordered numbers received after a higher one, filling a gap
 * @param restarts drops to 0 or 1 from far above: the device restarted its counter
 * @param beyondWindow numbers too far below the highest to tell a duplicate from a late arrival
 * @param lastClockSkew received-at minus device time of the last message carrying a device time;
 *     positive when the device's clock is behind the gateway's (or the message was delayed)
 * @param maxAbsClockSkew the largest skew, either way, seen so far
 * @param lastReceivedAt when the last message was received
 */
public record DeviceSequence(
    String deviceId,
    long messages,
    OptionalLong highestSeq,
    long gaps,
    long missing,
    long duplicates,
    long reordered,
    long restarts,
    long beyondWindow,
    Optional<Duration> lastClockSkew,
    Optional<Duration> maxAbsClockSkew,
    Instant lastReceivedAt) {
  public DeviceSequence {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(highestSeq, "highestSeq");
    Objects.requireNonNull(lastClockSkew, "lastClockSkew");
    Objects.requireNonNull(maxAbsClockSkew, "maxAbsClockSkew");
    Objects.requireNonNull(lastReceivedAt, "lastReceivedAt");
    if (messages < 0
        || gaps < 0
        || missing < 0
        || duplicates < 0
        || reordered < 0
        || restarts < 0
        || beyondWindow < 0) {
      throw new IllegalArgumentException("counters cannot be negative");
    }
  }
}
