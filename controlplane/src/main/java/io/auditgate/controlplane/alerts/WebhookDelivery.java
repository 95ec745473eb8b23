package io.auditgate.controlplane.alerts;

import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.UnableToUseControlPlaneException;
import io.auditgate.core.retry.Backoff;
import io.auditgate.store.StoreOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Drains the webhook outbox ({@code certificate_alert_deliveries}): POSTs each due notification,
 * signed ({@link WebhookSignature}), to the {@link WebhookTarget}; a 2xx answer marks it delivered,
 * anything else is retried with capped exponential backoff and full jitter until {@code
 * maxAttempts}, after which it is marked failed with an event in the certificate's log.
 *
 * <p>At least once: a notification is claimed by moving its next attempt past the request's timeout
 * before it is sent, so a process that dies mid-request leaves it to be sent again; the receiver
 * de-duplicates on {@code X-Auditgate-Delivery}. The notifications of one alert go out in order
 * (raised before resolved): one is only claimed when none before it is still pending.
 *
 * <p>Thread-safe; several processes may drain one outbox ({@code FOR UPDATE SKIP LOCKED}). {@link
 * #deliverDue} blocks for the requests, one at a time.
 */
public final class WebhookDelivery {
  private static final String CLAIM =
      "UPDATE certificate_alert_deliveries SET attempts = attempts + 1, next_attempt_at = ?"
          + " WHERE id IN (SELECT d.id FROM certificate_alert_deliveries d"
          + " WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ?"
          + " AND NOT EXISTS (SELECT 1 FROM certificate_alert_deliveries e"
          + " WHERE e.alert_id = d.alert_id AND e.id < d.id"
          + " AND e.delivered_at IS NULL AND e.failed_at IS NULL)"
          + " ORDER BY d.id LIMIT ? FOR UPDATE SKIP LOCKED)"
          + " RETURNING id, alert_id, payload::text, attempts";
  private static final String DELIVERED =
      "UPDATE certificate_alert_deliveries SET delivered_at = ?, last_error = NULL WHERE id = ?";
  private static final String RETRY =
      "UPDATE certificate_alert_deliveries SET next_attempt_at = ?, last_error = ? WHERE id = ?";
  private static final String FAILED =
      "UPDATE certificate_alert_deliveries SET failed_at = ?, last_error = ? WHERE id = ?"
          + " RETURNING (SELECT sha256 FROM certificate_alerts a WHERE a.id = alert_id), kind";

  /**
   * How hard to try.
   *
   * @param maxAttempts attempts before a notification is marked failed, 1..1000
   * @param backoff the delay between attempts
   * @param batch notifications claimed per round, 1..1000
   */
  public record Settings(int maxAttempts, Backoff backoff, int batch) {
    public Settings {
      if (maxAttempts < 1 || maxAttempts > 1000) {
        throw new IllegalArgumentException("maxAttempts must be 1..1000: " + maxAttempts);
      }
      Objects.requireNonNull(backoff, "backoff");
      if (batch < 1 || batch > 1000) {
        throw new IllegalArgumentException("batch must be 1..1000: " + batch);
      }
    }
  }

  /** What one round did. */
  public record Round(int delivered, int retrying, int failed) {
    public int attempted() {
      return delivered + retrying + failed;
    }
  }

  private final StoreOptions store;
  private final WebhookTarget target;
  private final Settings settings;
  private final Clock clock;
  private final HttpClient http;

  public WebhookDelivery(StoreOptions store, WebhookTarget target, Settings settings, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.target = Objects.requireNonNull(target, "target");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(target.timeout())
            .followRedirects(HttpClient.Redirect.NEVER);
    target.tls().ifPresent(builder::sslContext);
    this.http = builder.build();
  }

  /**
   * Sends every notification that is due now (at most {@code settings.batch()}).
   *
   * @throws UnableToUseControlPlaneException when the store cannot be read or written
   */
  public Round deliverDue() {
    Instant now = clock.instant();
    List<Due> due = claim(now);
    int delivered = 0;
    int retrying = 0;
    int failed = 0;
    for (Due d : due) {
      Optional<String> error = send(d);
      Instant after = clock.instant();
      if (error.isEmpty()) {
        execute(DELIVERED, Timestamp.from(after), d.id());
        delivered++;
      } else if (d.attempts() >= settings.maxAttempts()) {
        fail(d, after, error.get());
        failed++;
      } else {
        Duration delay = settings.backoff().delay(d.attempts() - 1);
        Duration floor = settings.backoff().ceiling(0);
        Instant next = after.plus(delay.compareTo(floor) < 0 ? floor : delay);
        execute(RETRY, Timestamp.from(next), error.get(), d.id());
        retrying++;
      }
    }
    return new Round(delivered, retrying, failed);
  }

  private record Due(long id, long alertId, String payload, int attempts) {}

  private List<Due> claim(Instant now) {
    // Past the request's timeout (and a margin for the store's answer), a claimed notification
    // whose sender died becomes due again.
    Instant lease = now.plus(target.timeout().multipliedBy(2)).plusSeconds(5);
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(CLAIM)) {
      s.setTimestamp(1, Timestamp.from(lease));
      s.setTimestamp(2, Timestamp.from(now));
      s.setInt(3, settings.batch());
      List<Due> due = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          due.add(new Due(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4)));
        }
      }
      due.sort((a, b) -> Long.compare(a.id(), b.id()));
      return due;
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot claim alert notifications", e);
    }
  }

  /** Empty when the receiver answered 2xx, else why not. */
  private Optional<String> send(Due d) {
    byte[] body = d.payload().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.instant().getEpochSecond();
    HttpRequest request =
        HttpRequest.newBuilder(target.url())
            .timeout(target.timeout())
            .header("Content-Type", "application/json")
            .header("User-Agent", "auditgate-alerts")
            .header(WebhookSignature.DELIVERY_HEADER, Long.toString(d.id()))
            .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
            .header(
                WebhookSignature.SIGNATURE_HEADER,
                WebhookSignature.sign(target.secret(), timestamp, body))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      int status = response.statusCode();
      return status >= 200 && status < 300
          ? Optional.empty()
          : Optional.of("receiver answered HTTP " + status);
    } catch (IOException e) {
      return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  private void fail(Due d, Instant at, String error) {
    try (Connection c = connect()) {
      c.setAutoCommit(false);
      try (PreparedStatement s = c.prepareStatement(FAILED)) {
        s.setTimestamp(1, Timestamp.from(at));
        s.setString(2, error);
        s.setLong(3, d.id());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            CertificateEventLog.append(
                c,
                rs.getString(1),
                at,
                "alert_delivery_failed",
                "webhook gave up after " + d.attempts() + " attempts: " + error,
                Map.of(
                    "alert_id", Long.toString(d.alertId()),
                    "delivery_id", Long.toString(d.id()),
                    "kind", rs.getString(2),
                    "attempts", Integer.toString(d.attempts()),
                    "last_error", error));
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot record a failed notification", e);
    }
  }

  private void execute(String sql, Object... args) {
    try (Connection c = connect();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      s.executeUpdate();
    } catch (SQLException e) {
      throw new UnableToUseControlPlaneException("cannot record a notification's outcome", e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
  }
}
