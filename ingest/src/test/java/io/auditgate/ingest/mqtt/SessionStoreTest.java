package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Sessions kept across connections: [MQTT-3.1.2-4] and [MQTT-3.1.2-5] (clean start or resume), MQTT
 * 5 section 3.1.2.11.2 (session expiry), [MQTT-4.3.3-2] (QoS 2 ids remembered until PUBREL).
 */
class SessionStoreTest {
  private static final SessionKey KEY = new SessionKey("device-1", "client");
  private final TestClock clock = new TestClock();
  private final Object connection = new Object();

  @Test
  void aSessionIsKeptForItsExpiryAndThenForgotten() {
    SessionStore store = new SessionStore(10, clock);
    Session session = store.attach(KEY, false, connection, new ArrayList<>()).session();
    session.subscribe("devices/device-1/commands/#", 1);
    store.detach(session, connection, Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(9));
    SessionStore.Attached resumed = store.attach(KEY, false, new Object(), new ArrayList<>());
    assertThat(resumed.present()).as("[MQTT-3.2.2-2]").isTrue();
    assertThat(resumed.session().grantedQos("devices/device-1/commands/x")).contains(1);

    store.detach(resumed.session(), resumed.session(), Duration.ofSeconds(10));
    assertThat(store.size()).as("only the owner detaches").isEqualTo(1);
  }

  @Test
  void anExpiredSessionIsGone() {
    SessionStore store = new SessionStore(10, clock);
    Session session = store.attach(KEY, false, connection, new ArrayList<>()).session();
    store.detach(session, connection, Duration.ofSeconds(10));

    clock.advance(Duration.ofSeconds(10));
    store.expire();

    assertThat(store.size()).isZero();
    assertThat(store.attach(KEY, false, connection, new ArrayList<>()).present()).isFalse();
  }

  @Test
  void aZeroExpiryEndsTheSessionWithTheConnection() {
    SessionStore store = new SessionStore(10, clock);
    Session session = store.attach(KEY, false, connection, new ArrayList<>()).session();

    store.detach(session, connection, Duration.ZERO);

    assertThat(store.size()).isZero();
  }

  @Test
  void aCleanStartDiscardsTheKeptSession() {
    SessionStore store = new SessionStore(10, clock);
    Session old = store.attach(KEY, false, connection, new ArrayList<>()).session();
    store.detach(old, connection, Duration.ofMinutes(1));

    SessionStore.Attached fresh = store.attach(KEY, true, connection, new ArrayList<>());

    assertThat(fresh.present()).as("[MQTT-3.2.2-1]").isFalse();
    assertThat(fresh.session()).isNotSameAs(old);
  }

  @Test
  void atMostMaxParkedSessionsAreKeptTheOldestGoesFirst() {
    SessionStore store = new SessionStore(2, clock);
    for (int i = 1; i <= 3; i++) {
      SessionKey key = new SessionKey("device-" + i, "c");
      Session session = store.attach(key, false, connection, new ArrayList<>()).session();
      store.detach(session, connection, Duration.ofHours(1));
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(store.size()).isEqualTo(2);
    assertThat(store.find(new SessionKey("device-1", "c"))).isEmpty();
    assertThat(store.find(new SessionKey("device-3", "c"))).isPresent();
  }

  @Test
  void sessionsOfDifferentDevicesNeverMix() {
    SessionStore store = new SessionStore(10, clock);
    Session one = store.attach(KEY, false, connection, new ArrayList<>()).session();
    store.detach(one, connection, Duration.ofMinutes(1));

    SessionStore.Attached other =
        store.attach(new SessionKey("device-2", "client"), false, connection, new ArrayList<>());

    assertThat(other.present()).isFalse();
    assertThat(other.session()).isNotSameAs(one);
  }

  @Test
  void qos2PacketIdsAreRecognisedUntilReleased() {
    Session session = new Session(KEY, connection);

    Session.Qos2Claim first = session.claimQos2(7);
    Session.Qos2Claim whileRunning = session.claimQos2(7);
    session.finishQos2(7, true);
    Session.Qos2Claim afterStoring = session.claimQos2(7);
    boolean released = session.release(7);
    Session.Qos2Claim afterRelease = session.claimQos2(7);

    assertThat(first).isInstanceOf(Session.Qos2Claim.Fresh.class);
    assertThat(whileRunning).isInstanceOf(Session.Qos2Claim.InProgress.class);
    assertThat(((Session.Qos2Claim.InProgress) whileRunning).done().toCompletableFuture())
        .isCompletedWithValue(true);
    assertThat(afterStoring).isInstanceOf(Session.Qos2Claim.Received.class);
    assertThat(released).isTrue();
    assertThat(afterRelease)
        .as("a new message may reuse the id")
        .isInstanceOf(Session.Qos2Claim.Fresh.class);
  }

  @Test
  void aQos2MessageNotAcceptedIsNotRemembered() {
    Session session = new Session(KEY, connection);
    session.claimQos2(3);

    session.finishQos2(3, false);

    assertThat(session.claimQos2(3)).isInstanceOf(Session.Qos2Claim.Fresh.class);
  }

  @Test
  void subscriptionsAreBounded() {
    Session session = new Session(KEY, connection);
    for (int i = 0; i < Session.MAX_SUBSCRIPTIONS; i++) {
      assertThat(session.subscribe("devices/device-1/commands/" + i, 0)).isTrue();
    }

    assertThat(session.subscribe("devices/device-1/commands/more", 0)).isFalse();
    assertThat(session.subscribe("devices/device-1/commands/0", 1))
        .as("replacing is fine")
        .isTrue();
  }

  @Test
  void aWillWaitingOutItsDelayIsPublishedWhenTheSessionEnds() {
    ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    try {
      SessionStore store = new SessionStore(10, clock);
      Session session = store.attach(KEY, false, connection, new ArrayList<>()).session();
      store.detach(session, connection, Duration.ofSeconds(5));
      AtomicInteger published = new AtomicInteger();
      session.deferWill(
          new Session.PendingWill(
              published::incrementAndGet, timers.schedule(() -> {}, 1, TimeUnit.HOURS)));

      clock.advance(Duration.ofSeconds(5));
      List<Runnable> due = store.expire();
      due.forEach(Runnable::run);

      assertThat(published).hasValue(1);
      assertThat(session.takePendingWill()).isEmpty();
    } finally {
      timers.shutdownNow();
    }
  }
}
