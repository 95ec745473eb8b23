package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.core.config.WebConfig;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.CertificateEventsApi;
import io.auditgate.web.api.CertificatesApi;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/certificates/{sha256}/events} over real HTTPS on a real store: the event log
 * ({@code certificate_events}, written through {@link CertificateEventLog#append}) merged with the
 * inventory's validity, sightings, renewal transitions and revocation, oldest first.
 */
class CertificateEventsApiTest {
  private final Clock clock = Clock.systemUTC();
  @TempDir Path dir;
  private StoreOptions db;
  private ApiTokens tokens;
  private CertificateInventory inventory;
  private WebServer server;
  private ApiClient client;
  private String reader;
  private String writer;
  private IssuedCertificate device;
  private IssuedCertificate revoked;
  private Instant revokedAt;

  @BeforeEach
  void start() {
    db = TestDatabase.migrated();
    tokens = new ApiTokens(db, clock);
    reader = tokens.create("reader", Set.of(Scope.READ)).secret();
    writer = tokens.create("writer", Set.of(Scope.WRITE)).secret();
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"),
            CaOptions.defaults(),
            Optional.empty(),
            // issued a day ago, so that validity starts before the sightings below
            Clock.offset(clock, Duration.ofDays(-1)));
    device = ca.issueDevice("dev-1", Validity.days(365));
    revoked = ca.issueDevice("dev-2", Validity.days(365));
    revokedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    RevocationView view =
        new RevocationView() {
          @Override
          public Optional<Revocation> revocation(String sha256) {
            return revoked().stream().filter(r -> r.sha256().equals(sha256)).findFirst();
          }

          @Override
          public List<Revocation> revoked() {
            return List.of(new Revocation(revoked.sha256Fingerprint(), revokedAt, "superseded"));
          }
        };
    inventory =
        Inventories.jdbc(
            db, clock, view, List.of(ca.rootCertificate()), InventoryPolicy.defaults());
    Instant seen = clock.instant().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
    inventory.record(
        device.chain(),
        new Sighting(SourceKind.LISTENER_MQTT, "mqtt5@gw-1", Optional.of("dev-1"), seen, Map.of()));
    inventory.record(
        device.chain(),
        new Sighting(
            SourceKind.LISTENER_MQTT,
            "mqtt5@gw-1",
            Optional.of("dev-1"),
            seen.plus(Duration.ofHours(1)),
            Map.of()));
    inventory.record(
        revoked.chain(),
        new Sighting(SourceKind.FILE, "/etc/certs/dev-2.pem", Optional.empty(), seen, Map.of()));
    List<io.auditgate.web.http.Route> routes = new ArrayList<>();
    routes.addAll(new CertificatesApi(inventory).routes());
    routes.addAll(new CertificateEventsApi(inventory, new CertificateEventLog(db)).routes());
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.router(routes, tokens));
    server.start();
    client = new ApiClient(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
    tokens.close();
    inventory.close();
  }

  @Test
  void theTimelineMergesTheEventLogWithValiditySightingsAndRenewalOldestFirst() throws Exception {
    String sha = device.sha256Fingerprint();
    Instant raised = clock.instant().minus(Duration.ofMinutes(90)).truncatedTo(ChronoUnit.SECONDS);
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties())) {
      CertificateEventLog.append(
          c,
          sha,
          raised,
          "alert_raised",
          "CN=dev-1: expires within 30 days",
          Map.of("rule", "expiring_30_days"));
      CertificateEventLog.append(
          c,
          sha,
          raised.plus(Duration.ofMinutes(10)),
          "alert_acknowledged",
          "acknowledged by ops",
          Map.of("by", "ops"));
    }
    assertThat(
            client
                .send(
                    "POST",
                    "/api/v1/certificates/" + sha + "/renewal",
                    writer,
                    "application/json",
                    "{\"state\":\"planned\",\"reason\":\"rotate\"}")
                .status())
        .isEqualTo(200);

    assertThat(client.get("/api/v1/certificates/" + sha + "/events", null).status()).isEqualTo(401);
    JsonNode body = client.get("/api/v1/certificates/" + sha + "/events", reader).json();
    assertThat(body.get("sha256").asText()).isEqualTo(sha);
    assertThat(body.get("truncated").asBoolean()).isFalse();
    JsonNode items = body.get("items");
    assertThat(items.findValuesAsText("kind"))
        .containsExactly(
            "valid_from",
            "first_seen",
            "alert_raised",
            "alert_acknowledged",
            "last_seen",
            "renewal_planned",
            "valid_until");
    assertThat(items.get(2).get("origin").asText()).isEqualTo("event_log");
    assertThat(items.get(2).get("id").asLong()).isPositive();
    assertThat(items.get(2).at("/details/rule").asText()).isEqualTo("expiring_30_days");
    assertThat(items.get(2).get("at").asText()).isEqualTo(raised.toString());
    assertThat(items.get(1).at("/details/device_id").asText()).isEqualTo("dev-1");
    assertThat(items.get(4).get("summary").asText()).contains("2 times");
    assertThat(items.get(5).at("/details/actor").asText()).isEqualTo("token:writer");
    assertThat(items.get(5).at("/details/reason").asText()).isEqualTo("rotate");
    List<Instant> times = new ArrayList<>();
    items.forEach(i -> times.add(Instant.parse(i.get("at").asText())));
    assertThat(times).isSorted();

    assertThat(
            client
                .get("/api/v1/certificates/" + sha + "/events?origin=event_log", reader)
                .json()
                .get("items")
                .findValuesAsText("kind"))
        .containsExactly("alert_raised", "alert_acknowledged");
    assertThat(client.get("/api/v1/certificates/" + sha + "/events?origin=rumour", reader).status())
        .isEqualTo(400);

    JsonNode limited = client.get("/api/v1/certificates/" + sha + "/events?limit=1", reader).json();
    assertThat(limited.get("truncated").asBoolean()).isTrue();
    assertThat(limited.get("items").findValuesAsText("kind"))
        .contains("alert_raised")
        .doesNotContain("alert_acknowledged");
  }

  @Test
  void aRevocationAppearsOnceAndBadRequestsAreRefused() {
    JsonNode items =
        client
            .get("/api/v1/certificates/" + revoked.sha256Fingerprint() + "/events", reader)
            .json()
            .get("items");
    assertThat(items.findValuesAsText("kind")).containsOnlyOnce("revoked");
    JsonNode revocation = items.get(items.findValuesAsText("kind").indexOf("revoked"));
    assertThat(revocation.at("/details/reason").asText()).isEqualTo("superseded");
    assertThat(revocation.get("at").asText()).isEqualTo(revokedAt.toString());

    ApiClient.Answer missing =
        client.get("/api/v1/certificates/" + "0".repeat(64) + "/events", reader);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("certificate_not_found");
    assertThat(client.get("/api/v1/certificates/XYZ/events", reader).status()).isEqualTo(400);
    ApiClient.Answer badLimit =
        client.get(
            "/api/v1/certificates/" + device.sha256Fingerprint() + "/events?limit=0", reader);
    assertThat(badLimit.status()).isEqualTo(400);
    assertThat(badLimit.json().at("/error/parameter").asText()).isEqualTo("limit");
  }
}
