package io.auditgate.sim;

import java.util.concurrent.CompletableFuture;

/**
 * How one board reaches the gateway: {@link MqttLink} or {@link HttpsLink}. Implementations are
 * thread-safe.
 */
interface Link {

  /** What became of one message. */
  enum Outcome {
    /** The gateway confirmed it: a successful PUBACK, or 202 over HTTPS. */
    ACKNOWLEDGED,
    /** The gateway refused it, or it could not be delivered. */
    FAILED,
    /** Delivered without an answer, as every QoS 0 message is. */
    UNCONFIRMED
  }

  /**
   * Opens the connection.
   *
   * @return completes when connected, exceptionally when refused or unreachable
   */
  CompletableFuture<?> connect();

  /** Closes the connection; completes (never exceptionally) when it is closed. */
  CompletableFuture<Void> disconnect();

  /**
   * Sends one message as telemetry of {@code deviceId}, which is the board's own id unless it is
   * misconfigured on purpose.
   *
   * @return the outcome; completes exceptionally when the message could not be delivered
   */
  CompletableFuture<Outcome> send(String deviceId, byte[] body);
}
