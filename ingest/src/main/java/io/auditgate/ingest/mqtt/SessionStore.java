package io.auditgate.ingest.mqtt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every session, in memory, by {@link SessionKey}. Sessions of disconnected clients are kept for
 * their expiry (at most {@code mqtt.max_session_expiry}), and at most {@code maxParked} of them:
 * when more are parked, the one parked longest is dropped early. Dropping a session early loses no
 * stored data; at worst a QoS 2 resend is stored a second time, which the (device, seq) idempotency
 * key removes downstream.
 *
 * <p>Thread-safety: synchronized; connections on every event loop attach and detach.
 */
final class SessionStore {
  private final Map<SessionKey, Session> sessions = new HashMap<>();
  private final int maxParked;
  private final Clock clock;
  private int parked;

  /** The session a CONNECT gets, and whether it existed before (CONNACK session present). */
  record Attached(Session session, boolean present) {}

  SessionStore(int maxParked, Clock clock) {
    this.maxParked = maxParked;
    this.clock = clock;
  }

  /**
   * Attaches a connection to its session: a fresh one for a clean start [MQTT-3.1.2-4] or when none
   * is kept, else the kept one [MQTT-3.1.2-5]. Adds to {@code willsDue} the will of a session a
   * clean start ended, to be published now.
   */
  Attached attach(SessionKey key, boolean cleanStart, Object owner, List<Runnable> willsDue) {
    Instant now = clock.instant();
    synchronized (this) {
      Session existing = sessions.get(key);
      if (existing != null && existing.expired(now)) {
        remove(existing, willsDue);
        existing = null;
      }
      if (existing != null && !cleanStart) {
        if (existing.parked()) {
          parked--;
        }
        existing.attach(owner);
        return new Attached(existing, true);
      }
      if (existing != null) {
        remove(existing, willsDue);
      }
      Session fresh = new Session(key, owner);
      sessions.put(key, fresh);
      return new Attached(fresh, false);
    }
  }

  /**
   * The connection that owned {@code session} ended: keep the session for {@code expiry}, or end it
   * if the expiry is zero. Does nothing if another connection has taken the session over. Returns
   * the wills of sessions this ended early to stay within the bound, to be published now.
   */
  List<Runnable> detach(Session session, Object owner, Duration expiry) {
    Instant now = clock.instant();
    List<Runnable> willsDue = new ArrayList<>();
    synchronized (this) {
      if (!session.ownedBy(owner) || sessions.get(session.key()) != session) {
        return willsDue;
      }
      if (expiry.isZero()) {
        sessions.remove(session.key());
        willsDue.add(lost(session.abandonCommands()));
        return willsDue;
      }
      session.park(now, expiry);
      parked++;
      if (parked > maxParked) {
        Optional<Session> oldest =
            sessions.values().stream()
                .filter(Session::parked)
                .min(Comparator.comparing(Session::parkedAt));
        if (oldest.isPresent()) {
          remove(oldest.get(), willsDue);
        }
      }
    }
    return willsDue;
  }

  /** Ends every session past its expiry; returns the wills that were still waiting. */
  List<Runnable> expire() {
    Instant now = clock.instant();
    List<Runnable> willsDue = new ArrayList<>();
    synchronized (this) {
      for (Session session : List.copyOf(sessions.values())) {
        if (session.expired(now)) {
          remove(session, willsDue);
        }
      }
    }
    return willsDue;
  }

  synchronized int size() {
    return sessions.size();
  }

  synchronized Optional<Session> find(SessionKey key) {
    return Optional.ofNullable(sessions.get(key));
  }

  /** A will whose session ends is published at once (MQTT 5 section 3.1.3.2.2). */
  private void remove(Session session, List<Runnable> willsDue) {
    sessions.remove(session.key());
    willsDue.add(lost(session.abandonCommands()));
    if (session.parked()) {
      parked--;
    }
    Optional<Session.PendingWill> will = session.takePendingWill();
    if (will.isPresent()) {
      will.get().timer().cancel(false);
      willsDue.add(will.get().publish());
    }
  }

  /** Completes commands of an ended session as lost; run after the store's lock is released. */
  private static Runnable lost(List<Session.UnackedCommand> abandoned) {
    return () -> abandoned.forEach(c -> c.outcome().complete(new CommandOutcome.Lost()));
  }
}
