package io.auditgate.ingest.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * What the gateway remembers of one client between its connections: its command subscriptions and
 * the QoS 2 packet ids it has stored but not yet seen released, so that a resend after a reconnect
 * is recognised as a duplicate and not stored twice.
 *
 * <p>Bounded: at most {@link #MAX_SUBSCRIPTIONS} filters, and one bit per packet id (at most 8KiB)
 * for QoS 2. Thread-safety: synchronized, because an old connection's ingest completions (on its
 * event loop) may still arrive while a new connection (on another) has resumed the session.
 */
final class Session {
  static final int MAX_SUBSCRIPTIONS = 16;

  private final SessionKey key;
  private final Map<String, Integer> subscriptions = new LinkedHashMap<>();
  private final BitSet releasesOwed = new BitSet();
  private final Map<Integer, CompletableFuture<Boolean>> qos2InProgress = new HashMap<>();
  private Object owner;
  private Instant parkedAt;
  private Duration expiry = Duration.ZERO;
  private PendingWill pendingWill;
  // QoS 1 commands sent and not yet acknowledged, in sending order: they belong to the session,
  // not the connection, so a device that resumes its session receives them again [MQTT-4.4.0-1].
  private final Map<Integer, UnackedCommand> unackedCommands = new LinkedHashMap<>();

  /** How a QoS 2 PUBLISH stands with this session. */
  sealed interface Qos2Claim {
    /**
     * Never seen: the caller ingests it and completes {@code done} through {@link #finishQos2} with
     * whether it was accepted.
     */
    record Fresh(CompletableFuture<Boolean> done) implements Qos2Claim {}

    /** Stored already and PUBREC owed or sent: answer PUBREC again, store nothing. */
    record Received() implements Qos2Claim {}

    /** Being ingested on behalf of an earlier copy; {@code done} tells whether it was accepted. */
    record InProgress(CompletionStage<Boolean> done) implements Qos2Claim {}
  }

  /** A will waiting out its delay; whoever takes it first publishes it. */
  record PendingWill(Runnable publish, Future<?> timer) {}

  /** A QoS 1 command awaiting the device's PUBACK. */
  record UnackedCommand(
      int packetId, String topic, byte[] payload, CompletableFuture<CommandOutcome> outcome) {}

  Session(SessionKey key, Object owner) {
    this.key = key;
    this.owner = owner;
  }

  SessionKey key() {
    return key;
  }

  synchronized Qos2Claim claimQos2(int packetId) {
    if (releasesOwed.get(packetId)) {
      return new Qos2Claim.Received();
    }
    CompletableFuture<Boolean> running = qos2InProgress.get(packetId);
    if (running != null) {
      return new Qos2Claim.InProgress(running);
    }
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    qos2InProgress.put(packetId, done);
    return new Qos2Claim.Fresh(done);
  }

  /** Ends a {@link Qos2Claim.Fresh} claim; an accepted message owes a PUBREL from now on. */
  void finishQos2(int packetId, boolean accepted) {
    CompletableFuture<Boolean> done;
    synchronized (this) {
      done = qos2InProgress.remove(packetId);
      if (accepted) {
        releasesOwed.set(packetId);
      }
    }
    if (done != null) {
      done.complete(accepted);
    }
  }

  /** Records a PUBREL; returns whether the packet id was waiting for one. */
  synchronized boolean release(int packetId) {
    boolean owed = releasesOwed.get(packetId);
    releasesOwed.clear(packetId);
    return owed;
  }

  /**
   * Adds or replaces a subscription; returns false (and changes nothing) if that would exceed
   * {@link #MAX_SUBSCRIPTIONS}.
   */
  synchronized boolean subscribe(String filter, int grantedQos) {
    if (!subscriptions.containsKey(filter) && subscriptions.size() >= MAX_SUBSCRIPTIONS) {
      return false;
    }
    subscriptions.put(filter, grantedQos);
    return true;
  }

  /** Removes a subscription; returns whether it existed. */
  synchronized boolean unsubscribe(String filter) {
    return subscriptions.remove(filter) != null;
  }

  /** The highest QoS granted by a subscription matching {@code topic}, if any matches. */
  synchronized Optional<Integer> grantedQos(String topic) {
    return subscriptions.entrySet().stream()
        .filter(s -> DeviceTopics.matches(s.getKey(), topic))
        .map(Map.Entry::getValue)
        .max(Integer::compare);
  }

  synchronized boolean ownedBy(Object candidate) {
    return owner == candidate;
  }

  /** A connection resumes the session; a will still waiting is cancelled [MQTT-3.1.3-9]. */
  synchronized void attach(Object newOwner) {
    owner = newOwner;
    parkedAt = null;
    if (pendingWill != null) {
      pendingWill.timer().cancel(false);
      pendingWill = null;
    }
  }

  /** The owning connection ended; the session waits {@code expiry} for the client to return. */
  synchronized void park(Instant now, Duration expiry) {
    owner = null;
    parkedAt = now;
    this.expiry = expiry;
  }

  synchronized boolean parked() {
    return parkedAt != null;
  }

  synchronized Instant parkedAt() {
    return parkedAt;
  }

  synchronized boolean expired(Instant now) {
    return parkedAt != null && !now.isBefore(parkedAt.plus(expiry));
  }

  synchronized void deferWill(PendingWill will) {
    pendingWill = will;
  }

  /** Takes the will waiting out its delay, if any, so that exactly one caller publishes it. */
  synchronized Optional<PendingWill> takePendingWill() {
    PendingWill will = pendingWill;
    pendingWill = null;
    return Optional.ofNullable(will);
  }

  synchronized void commandSent(UnackedCommand command) {
    unackedCommands.put(command.packetId(), command);
  }

  synchronized Optional<UnackedCommand> commandAcknowledged(int packetId) {
    return Optional.ofNullable(unackedCommands.remove(packetId));
  }

  synchronized boolean commandInFlight(int packetId) {
    return unackedCommands.containsKey(packetId);
  }

  synchronized int unackedCommandCount() {
    return unackedCommands.size();
  }

  /** The unacknowledged commands in sending order, to send again on a resumed session. */
  synchronized List<UnackedCommand> unackedCommands() {
    return List.copyOf(unackedCommands.values());
  }

  /**
   * Forgets the unacknowledged commands because the session ends; the caller completes their
   * outcomes as lost (outside any lock).
   */
  synchronized List<UnackedCommand> abandonCommands() {
    List<UnackedCommand> abandoned = List.copyOf(unackedCommands.values());
    unackedCommands.clear();
    return abandoned;
  }
}
