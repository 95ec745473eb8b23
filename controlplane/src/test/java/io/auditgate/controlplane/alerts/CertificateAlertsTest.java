package io.auditgate.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import io.auditgate.testkit.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CertificateAlertsTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
  private final List<AlertCondition> firing = new CopyOnWriteArrayList<>();
  private StoreOptions db;
  private CertificateAlerts alerts;

  @BeforeEach
  void setUp() {
    db = TestDatabases.migrated();
    alerts = new CertificateAlerts(db, now -> List.copyOf(firing), clock, true);
  }

  private static AlertCondition condition(AlertRule rule, String sha256) {
    return new AlertCondition(rule, sha256, "CN=" + sha256.charAt(0), Map.of("days_left", "25"));
  }

  @Test
  void aRuleThatStartsFiringRaisesOneAlertWithAnEventAndANotification() {
    firing.add(condition(AlertRule.EXPIRING_30_DAYS, A));

    CertificateAlerts.Evaluation first = alerts.evaluate();

    assertThat(first.evaluated()).isTrue();
    assertThat(first.raised())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.rule()).isEqualTo(AlertRule.EXPIRING_30_DAYS);
              assertThat(a.severity()).isEqualTo(AlertSeverity.CRITICAL);
              assertThat(a.state()).isEqualTo(AlertState.RAISED);
              assertThat(a.details()).containsEntry("days_left", "25");
              assertThat(a.summary()).isEqualTo("CN=a: expires within 30 days");
            });
    assertThat(first.open()).isEqualTo(1);
    List<CertificateEvent> timeline = new CertificateEventLog(db).timeline(A, 10);
    assertThat(timeline)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("alert_raised");
              assertThat(e.details())
                  .containsEntry("rule", "expiring_30_days")
                  .containsKey("alert_id");
            });
    assertThat(TestDatabases.rows(db, "SELECT kind FROM certificate_alert_deliveries"))
        .containsExactly(List.of("raised"));

    CertificateAlerts.Evaluation second = alerts.evaluate();
    assertThat(second.raised()).isEmpty();
    assertThat(second.resolved()).isEmpty();
    assertThat(second.open()).isEqualTo(1);
    assertThat(TestDatabases.value(db, "SELECT count(*) FROM certificate_alert_deliveries"))
        .isEqualTo("1");
  }

  @Test
  void aRestartedProcessRaisesNothingThatIsAlreadyOpen() {
    firing.add(condition(AlertRule.WEAK_KEY, A));
    firing.add(condition(AlertRule.UNTRUSTED_CHAIN, B));
    assertThat(alerts.evaluate().raised()).hasSize(2);

    // A new process over the same store: only the database remembers what is open.
    CertificateAlerts restarted =
        new CertificateAlerts(db, now -> List.copyOf(firing), clock, true);
    clock.advance(Duration.ofHours(1));
    CertificateAlerts.Evaluation after = restarted.evaluate();

    assertThat(after.raised()).isEmpty();
    assertThat(after.open()).isEqualTo(2);
    assertThat(TestDatabases.value(db, "SELECT count(*) FROM certificate_alerts")).isEqualTo("2");
    assertThat(TestDatabases.value(db, "SELECT count(*) FROM certificate_alert_deliveries"))
        .isEqualTo("2");
  }

  @Test
  void anAlertWhoseConditionGoesAwayIsResolvedAndARecurrenceIsANewAlert() {
    firing.add(condition(AlertRule.REVOKED_STILL_SEEN, A));
    long first = alerts.evaluate().raised().get(0).id();

    firing.clear();
    clock.advance(Duration.ofMinutes(5));
    CertificateAlerts.Evaluation cleared = alerts.evaluate();

    assertThat(cleared.resolved())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.id()).isEqualTo(first);
              assertThat(a.state()).isEqualTo(AlertState.RESOLVED);
              assertThat(a.resolvedAt()).contains(clock.instant());
            });
    assertThat(cleared.open()).isZero();
    assertThat(new CertificateEventLog(db).timeline(A, 10))
        .extracting(CertificateEvent::kind)
        .containsExactly("alert_raised", "alert_resolved");

    firing.add(condition(AlertRule.REVOKED_STILL_SEEN, A));
    CertificateAlerts.Evaluation again = alerts.evaluate();
    assertThat(again.raised()).singleElement().extracting(CertificateAlert::id).isNotEqualTo(first);
    assertThat(TestDatabases.rows(db, "SELECT kind FROM certificate_alert_deliveries ORDER BY id"))
        .containsExactly(List.of("raised"), List.of("resolved"), List.of("raised"));
  }

  @Test
  void crossingIntoATighterExpiryWindowResolvesTheWiderOneAndRaisesTheTighter() {
    firing.add(condition(AlertRule.EXPIRING_60_DAYS, A));
    alerts.evaluate();

    firing.clear();
    firing.add(condition(AlertRule.EXPIRING_30_DAYS, A));
    CertificateAlerts.Evaluation crossed = alerts.evaluate();

    assertThat(crossed.resolved())
        .extracting(CertificateAlert::rule)
        .containsExactly(AlertRule.EXPIRING_60_DAYS);
    assertThat(crossed.raised())
        .extracting(CertificateAlert::rule)
        .containsExactly(AlertRule.EXPIRING_30_DAYS);
  }

  @Test
  void acknowledgingKeepsTheAlertOpenAndSaysWhatHappenedOtherwise() {
    firing.add(condition(AlertRule.SHARED, A));
    long id = alerts.evaluate().raised().get(0).id();

    AcknowledgeOutcome first = alerts.acknowledge(id, "alice", "replacing it this week");
    assertThat(first).isInstanceOf(AcknowledgeOutcome.Acknowledged.class);
    CertificateAlert acked = alerts.list(CertificateAlerts.Query.open(10)).get(0);
    assertThat(acked.state()).isEqualTo(AlertState.ACKNOWLEDGED);
    assertThat(acked.acknowledgedBy()).contains("alice");
    assertThat(alerts.acknowledge(id, "bob", ""))
        .isInstanceOf(AcknowledgeOutcome.AlreadyAcknowledged.class);
    assertThat(alerts.acknowledge(id + 1000, "bob", ""))
        .isEqualTo(new AcknowledgeOutcome.NotFound(id + 1000));

    // Acknowledged is still open: the condition firing raises nothing new.
    assertThat(alerts.evaluate().raised()).isEmpty();
    assertThat(alerts.counts().acknowledged()).isEqualTo(1);

    firing.clear();
    alerts.evaluate();
    assertThat(alerts.acknowledge(id, "carol", ""))
        .isInstanceOf(AcknowledgeOutcome.AlreadyResolved.class);
    assertThat(new CertificateEventLog(db).timeline(A, 10))
        .extracting(CertificateEvent::kind)
        .containsExactly("alert_raised", "alert_acknowledged", "alert_resolved");
  }

  @Test
  void countsAndListsFollowTheOpenAlerts() {
    firing.add(condition(AlertRule.WEAK_KEY, A));
    firing.add(condition(AlertRule.WEAK_KEY, B));
    firing.add(condition(AlertRule.EXPIRED, B));
    alerts.evaluate();

    AlertCounts counts = alerts.counts();
    assertThat(counts.openByRule())
        .containsEntry("weak_key", 2L)
        .containsEntry("expired", 1L)
        .containsEntry("shared", 0L)
        .hasSize(AlertRule.values().length);
    assertThat(counts.open()).isEqualTo(3);
    assertThat(counts.undelivered()).isEqualTo(3);

    assertThat(
            alerts.list(
                new CertificateAlerts.Query(
                    Optional.empty(), Optional.empty(), Optional.of(B), 10)))
        .extracting(CertificateAlert::rule)
        .containsExactlyInAnyOrder(AlertRule.WEAK_KEY, AlertRule.EXPIRED);
    assertThat(
            alerts.list(
                new CertificateAlerts.Query(
                    Optional.empty(), Optional.of(AlertRule.EXPIRED), Optional.empty(), 10)))
        .extracting(CertificateAlert::sha256)
        .containsExactly(B);
  }

  @Test
  void withoutAWebhookNothingIsQueued() {
    CertificateAlerts quiet = new CertificateAlerts(db, now -> List.copyOf(firing), clock, false);
    firing.add(condition(AlertRule.TOO_OLD, A));

    assertThat(quiet.evaluate().raised()).hasSize(1);
    assertThat(TestDatabases.value(db, "SELECT count(*) FROM certificate_alert_deliveries"))
        .isEqualTo("0");
  }

  @Test
  void concurrentEvaluationsRaiseEachAlertOnce() throws Exception {
    CountDownLatch bothAsking = new CountDownLatch(2);
    AlertConditions slow =
        now -> {
          bothAsking.countDown();
          try {
            bothAsking.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return List.of(condition(AlertRule.UNBOUND, A));
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<CertificateAlerts.Evaluation>> runs = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        CertificateAlerts process = new CertificateAlerts(db, slow, clock, true);
        runs.add(pool.submit(process::evaluate));
      }
      int raised = 0;
      for (Future<CertificateAlerts.Evaluation> run : runs) {
        raised += run.get().raised().size();
      }
      assertThat(raised).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(TestDatabases.value(db, "SELECT count(*) FROM certificate_alerts")).isEqualTo("1");
  }
}
