package io.auditgate.sim;

/**
 * What became of published messages. Every message handed to the MQTT client ends in exactly one of
 * the three outcomes, so {@code sent == acknowledged + failed + unconfirmed} always holds.
 *
 * @param sent messages handed to the MQTT client
 * @param acknowledged QoS 1 messages the broker answered with a successful PUBACK
 * @param failed messages the client could not deliver, or the broker answered with an error code
 * @param unconfirmed messages without an answer: every QoS 0 message the client wrote (QoS 0 has no
 *     acknowledgement), and QoS 1 messages still waiting for a PUBACK when the run ended
 */
public record Counts(long sent, long acknowledged, long failed, long unconfirmed) {
  public static final Counts ZERO = new Counts(0, 0, 0, 0);

  public Counts {
    if (sent < 0 || acknowledged < 0 || failed < 0 || unconfirmed < 0) {
      throw new IllegalArgumentException("counts must be >= 0");
    }
  }

  public Counts plus(Counts other) {
    return new Counts(
        sent + other.sent,
        acknowledged + other.acknowledged,
        failed + other.failed,
        unconfirmed + other.unconfirmed);
  }
}
