package io.auditgate.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.core.retry.Backoff;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import io.auditgate.testkit.TestDatabases;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {
  private static final byte[] SECRET = "a shared secret of 32 bytes.....".getBytes();
  private static final String A = "a".repeat(64);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-01T00:00:00Z"));
  private final List<AlertCondition> firing = new CopyOnWriteArrayList<>();
  private StoreOptions db;
  private CertificateAlerts alerts;
  private WebhookReceiver receiver;

  @BeforeEach
  void setUp() throws Exception {
    db = TestDatabases.migrated();
    alerts = new CertificateAlerts(db, now -> List.copyOf(firing), clock, true);
    receiver = new WebhookReceiver();
  }

  @AfterEach
  void tearDown() throws Exception {
    receiver.close();
  }

  private WebhookDelivery delivery(int maxAttempts) {
    WebhookTarget target =
        new WebhookTarget(
            receiver.url(),
            SECRET,
            Optional.of(receiver.clientContext()),
            Duration.ofSeconds(5),
            false);
    Backoff backoff = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(5), new Random(1));
    return new WebhookDelivery(
        db, target, new WebhookDelivery.Settings(maxAttempts, backoff, 50), clock);
  }

  private void raise(AlertRule rule) {
    firing.add(new AlertCondition(rule, A, "CN=device-1", Map.of("days_left", "12")));
    alerts.evaluate();
  }

  @Test
  void aRaisedAlertIsPostedOnceSignedOverHttpsAndMarkedDelivered() throws Exception {
    raise(AlertRule.EXPIRING_30_DAYS);
    WebhookDelivery delivery = delivery(5);

    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(1, 0, 0));
    assertThat(delivery.deliverDue().attempted()).isZero();

    WebhookReceiver.Received request = receiver.received().get(0);
    long timestamp = Long.parseLong(request.header(WebhookSignature.TIMESTAMP_HEADER));
    assertThat(timestamp).isEqualTo(clock.instant().getEpochSecond());
    assertThat(
            WebhookSignature.verify(
                SECRET,
                timestamp,
                request.body(),
                request.header(WebhookSignature.SIGNATURE_HEADER)))
        .isTrue();
    assertThat(
            WebhookSignature.verify(
                "another secret of sixteen+ bytes".getBytes(),
                timestamp,
                request.body(),
                request.header(WebhookSignature.SIGNATURE_HEADER)))
        .isFalse();
    assertThat(request.header(WebhookSignature.DELIVERY_HEADER)).isNotBlank();
    JsonNode body = JSON.readTree(request.body());
    assertThat(body.path("event").asText()).isEqualTo("certificate_alert.raised");
    assertThat(body.path("alert").path("rule").asText()).isEqualTo("expiring_30_days");
    assertThat(body.path("alert").path("sha256").asText()).isEqualTo(A);
    assertThat(body.path("alert").path("details").path("days_left").asText()).isEqualTo("12");
    assertThat(alerts.counts().undelivered()).isZero();
    assertThat(
            TestDatabases.rows(
                db, "SELECT attempts, delivered_at IS NOT NULL FROM certificate_alert_deliveries"))
        .containsExactly(List.of("1", "t"));
  }

  @Test
  void aFailingReceiverIsRetriedAfterTheBackoffUntilItAnswers() {
    raise(AlertRule.WEAK_KEY);
    receiver.answer(500, 503);
    WebhookDelivery delivery = delivery(5);

    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(0, 1, 0));
    assertThat(delivery.deliverDue().attempted()).as("not due before its backoff").isZero();
    assertThat(TestDatabases.value(db, "SELECT last_error FROM certificate_alert_deliveries"))
        .isEqualTo("receiver answered HTTP 500");

    clock.advance(Duration.ofMinutes(6));
    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(0, 1, 0));
    clock.advance(Duration.ofMinutes(6));
    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(1, 0, 0));

    assertThat(receiver.received()).hasSize(3);
    // Each attempt is the same notification: the receiver de-duplicates on the delivery id.
    assertThat(receiver.received())
        .extracting(r -> r.header(WebhookSignature.DELIVERY_HEADER))
        .containsOnly(receiver.received().get(0).header(WebhookSignature.DELIVERY_HEADER));
  }

  @Test
  void afterTheMaximumAttemptsTheNotificationFailsWithAnEvent() {
    raise(AlertRule.SHARED);
    receiver.answer(500, 500, 500);
    WebhookDelivery delivery = delivery(2);

    delivery.deliverDue();
    clock.advance(Duration.ofMinutes(6));
    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(0, 0, 1));
    clock.advance(Duration.ofHours(1));
    assertThat(delivery.deliverDue().attempted()).isZero();

    assertThat(alerts.counts().failedDeliveries()).isEqualTo(1);
    assertThat(new CertificateEventLog(db).timeline(A, 10))
        .extracting(CertificateEvent::kind)
        .containsExactly("alert_raised", "alert_delivery_failed");
  }

  @Test
  void anAlertsNotificationsGoOutInOrderEvenWhenTheFirstIsRetried() throws Exception {
    raise(AlertRule.EXPIRED);
    firing.clear();
    alerts.evaluate(); // resolved: a second notification for the same alert
    receiver.answer(500);
    WebhookDelivery delivery = delivery(5);

    assertThat(delivery.deliverDue())
        .as("the resolve waits for the raise")
        .isEqualTo(new WebhookDelivery.Round(0, 1, 0));
    clock.advance(Duration.ofMinutes(6));
    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(1, 0, 0));
    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(1, 0, 0));

    assertThat(receiver.received())
        .extracting(r -> JSON.readTree(r.body()).path("event").asText())
        .containsExactly(
            "certificate_alert.raised", "certificate_alert.raised", "certificate_alert.resolved");
  }

  @Test
  void anUnreachableReceiverIsRetriedWithTheReasonRecorded() throws Exception {
    raise(AlertRule.TOO_OLD);
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    WebhookTarget nowhere =
        new WebhookTarget(
            URI.create("https://127.0.0.1:" + closedPort + "/hook"),
            SECRET,
            Optional.of(receiver.clientContext()),
            Duration.ofSeconds(2),
            false);
    WebhookDelivery delivery =
        new WebhookDelivery(
            db,
            nowhere,
            new WebhookDelivery.Settings(
                5, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(2)), 10),
            clock);

    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(0, 1, 0));
    assertThat(TestDatabases.value(db, "SELECT last_error FROM certificate_alert_deliveries"))
        .contains("ConnectException");
  }

  @Test
  void aReceiverWhoseCertificateIsNotTrustedIsNotSentTheAlert() {
    raise(AlertRule.UNBOUND);
    WebhookTarget defaultTrust =
        new WebhookTarget(receiver.url(), SECRET, Optional.empty(), Duration.ofSeconds(5), false);
    WebhookDelivery delivery =
        new WebhookDelivery(
            db,
            defaultTrust,
            new WebhookDelivery.Settings(
                5, new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new Random(3)), 10),
            clock);

    assertThat(delivery.deliverDue()).isEqualTo(new WebhookDelivery.Round(0, 1, 0));
    assertThat(receiver.received()).isEmpty();
    assertThat(TestDatabases.value(db, "SELECT last_error FROM certificate_alert_deliveries"))
        .contains("SSLHandshakeException");
  }

  @Test
  void plaintextAndShortSecretsAreRefusedUnlessOptedIn() {
    assertThatThrownBy(
            () ->
                new WebhookTarget(
                    URI.create("http://example.test/hook"),
                    SECRET,
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    false))
        .hasMessageContaining("must be https");
    assertThat(
            new WebhookTarget(
                    URI.create("http://example.test/hook"),
                    SECRET,
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    true)
                .url())
        .hasScheme("http");
    assertThatThrownBy(
            () ->
                new WebhookTarget(
                    URI.create("https://example.test/hook"),
                    "short".getBytes(StandardCharsets.UTF_8),
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    false))
        .hasMessageContaining("at least 16 bytes");
    assertThat(
            new WebhookTarget(
                    URI.create("https://example.test/hook"),
                    SECRET,
                    Optional.empty(),
                    Duration.ofSeconds(5),
                    false)
                .toString())
        .doesNotContain(new String(SECRET));
  }
}
