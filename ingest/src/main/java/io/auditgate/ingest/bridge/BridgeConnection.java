package io.auditgate.ingest.bridge;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connection attempt to the broker, with a client of its own.
 *
 * <p>Why a new client per connection: the HiveMQ client sends manual acknowledgements in the order
 * the messages arrived, and keeps a message that was never acknowledged at the head of that queue
 * across reconnects. A message left unacknowledged on purpose (the log was busy) would block every
 * acknowledgement after the reconnect. A fresh client starts with an empty queue, while the session
 * itself — subscriptions and unacknowledged messages — lives on the broker under the client id.
 *
 * <p>Thread-safety: safe from any thread.
 */
final class BridgeConnection {
  private final long generation;
  private final Mqtt5AsyncClient client;
  private final AtomicBoolean pausing = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile Duration pauseAtLeast = Duration.ZERO;
  private volatile boolean subscribed;

  BridgeConnection(long generation, Mqtt5AsyncClient client) {
    this.generation = generation;
    this.client = client;
  }

  long generation() {
    return generation;
  }

  Mqtt5AsyncClient client() {
    return client;
  }

  /**
   * Disconnects so that the broker keeps every unacknowledged message for the next connection, and
   * asks the next connection to wait at least {@code atLeast}.
   *
   * @return false if this connection is already pausing
   */
  boolean pause(Duration atLeast) {
    if (!pausing.compareAndSet(false, true)) {
      return false;
    }
    pauseAtLeast = atLeast;
    // The ordinary DISCONNECT keeps the session: its expiry is the one given at CONNECT.
    client.disconnect();
    return true;
  }

  boolean isPausing() {
    return pausing.get();
  }

  Duration pauseAtLeast() {
    return pauseAtLeast;
  }

  void markSubscribed() {
    subscribed = true;
  }

  boolean wasSubscribed() {
    return subscribed;
  }

  /** True the first time only: a connection ends once, whichever way it is noticed. */
  boolean markEnded() {
    return ended.compareAndSet(false, true);
  }

  boolean hasEnded() {
    return ended.get();
  }
}
