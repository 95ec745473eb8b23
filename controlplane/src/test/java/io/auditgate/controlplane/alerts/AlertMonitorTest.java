package io.auditgate.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.retry.Backoff;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AlertMonitorTest {

  @Test
  void aRuleThatStartsFiringReachesTheWebhookOnItsOwn() throws Exception {
    StoreOptions db = TestDatabases.migrated();
    AlertCondition condition =
        new AlertCondition(AlertRule.EXPIRED, "c".repeat(64), "CN=gw", Map.of());
    CertificateAlerts alerts =
        new CertificateAlerts(db, now -> List.of(condition), Clock.systemUTC(), true);
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      WebhookDelivery delivery =
          new WebhookDelivery(
              db,
              new WebhookTarget(
                  receiver.url(),
                  "0123456789abcdef0123".getBytes(),
                  Optional.of(receiver.clientContext()),
                  Duration.ofSeconds(5),
                  false),
              new WebhookDelivery.Settings(
                  3, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), new Random()), 10),
              Clock.systemUTC());
      try (AlertMonitor monitor =
          new AlertMonitor(
              alerts, Optional.of(delivery), Duration.ofMillis(200), Duration.ofMillis(200))) {
        monitor.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (receiver.received().isEmpty() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        Thread.sleep(600); // several more rounds: still one alert, one notification
      }
      assertThat(receiver.received()).hasSize(1);
      assertThat(alerts.counts().openByRule()).containsEntry("expired", 1L);
    }
  }
}
