package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.core.config.WebConfig;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.CertificatesApi;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The certificate inventory's read API over real HTTPS, a real store and real certificates. */
class CertificatesApiTest {
  private final Clock clock = Clock.systemUTC();
  @TempDir Path dir;
  private StoreOptions db;
  private ApiTokens tokens;
  private CertificateInventory inventory;
  private WebServer server;
  private ApiClient client;
  private String reader;
  private String writer;
  private IssuedCertificate fresh;
  private IssuedCertificate soon;
  private IssuedCertificate revoked;

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
            // issued 20 days ago: the 25-day certificate has 5 days left, under a third
            Clock.offset(clock, java.time.Duration.ofDays(-20)));
    fresh = ca.issueDevice("dev-1", Validity.days(365));
    soon = ca.issueDevice("dev-2", Validity.days(25));
    revoked = ca.issueDevice("dev-3", Validity.days(365));
    RevocationView view =
        new RevocationView() {
          @Override
          public Optional<Revocation> revocation(String sha256) {
            return revoked().stream().filter(r -> r.sha256().equals(sha256)).findFirst();
          }

          @Override
          public List<Revocation> revoked() {
            return List.of(
                new Revocation(revoked.sha256Fingerprint(), clock.instant(), "keyCompromise"));
          }
        };
    inventory =
        Inventories.jdbc(
            db, clock, view, List.of(ca.rootCertificate()), InventoryPolicy.defaults());
    for (IssuedCertificate c : List.of(fresh, soon, revoked)) {
      String device = c.certificate().getSubjectX500Principal().getName().substring(3);
      inventory.record(
          c.chain(),
          new Sighting(
              SourceKind.LISTENER_MQTT,
              "mqtt5@gw-1",
              Optional.of(device),
              clock.instant(),
              Map.of()));
    }
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.router(
                new CertificatesApi(
                        inventory,
                        Optional.of(
                            new io.auditgate.controlplane.inventory.discovery.TlsEndpointScanner(
                                inventory, db, clock, java.time.Duration.ofSeconds(2))))
                    .routes(),
                tokens));
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
  void listsFiltersSortsAndPages() {
    assertThat(client.get("/api/v1/certificates", null).status()).isEqualTo(401);

    JsonNode all =
        client.get("/api/v1/certificates?sort=not_after&order=asc&limit=2", reader).json();
    assertThat(all.get("total").asLong()).isEqualTo(4);
    assertThat(all.get("items")).hasSize(2);
    assertThat(all.at("/items/0/sha256").asText()).isEqualTo(soon.sha256Fingerprint());
    assertThat(all.at("/items/0/status").asText()).as(all.toString()).isEqualTo("expiring_soon");

    JsonNode revokedOnly = client.get("/api/v1/certificates?status=revoked", reader).json();
    assertThat(revokedOnly.get("items")).hasSize(1);
    assertThat(revokedOnly.at("/items/0/device_id").asText()).isEqualTo("dev-3");

    assertThat(
            client
                .get("/api/v1/certificates?device=dev-1&source=listener_mqtt", reader)
                .json()
                .at("/items/0/sha256")
                .asText())
        .isEqualTo(fresh.sha256Fingerprint());
    ApiClient.Answer bad = client.get("/api/v1/certificates?status=shiny", reader);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().at("/error/parameter").asText()).isEqualTo("status");
    assertThat(client.get("/api/v1/certificates?sort=color", reader).status()).isEqualTo(400);

    // A posture rule as a filter lists what the summary counts: two leaves in service, unbound.
    JsonNode unbound = client.get("/api/v1/certificates?condition=unbound", reader).json();
    assertThat(unbound.get("total").asLong())
        .isEqualTo(
            client.get("/api/v1/certificates/summary", reader).json().get("unbound").asLong())
        .isEqualTo(2);
    assertThat(unbound.get("items").findValuesAsText("sha256"))
        .containsExactlyInAnyOrder(fresh.sha256Fingerprint(), soon.sha256Fingerprint());
    ApiClient.Answer badCondition = client.get("/api/v1/certificates?condition=shiny", reader);
    assertThat(badCondition.status()).isEqualTo(400);
    assertThat(badCondition.json().at("/error/parameter").asText()).isEqualTo("condition");
  }

  @Test
  void summaryExpiringAttentionAndDetail() {
    JsonNode summary = client.get("/api/v1/certificates/summary", reader).json();
    assertThat(summary.get("total").asLong()).isEqualTo(4);
    assertThat(summary.at("/by_status/revoked").asLong()).isEqualTo(1);
    assertThat(summary.at("/by_status/expiring_soon").asLong()).isEqualTo(1);
    assertThat(summary.at("/expiring_within_days/30").asLong()).isEqualTo(1);
    assertThat(summary.get("revoked_still_connecting").asLong()).isEqualTo(0);

    JsonNode expiring = client.get("/api/v1/certificates/expiring?days=30", reader).json();
    assertThat(expiring.get("items")).hasSize(1);
    assertThat(expiring.at("/items/0/sha256").asText()).isEqualTo(soon.sha256Fingerprint());

    JsonNode attention = client.get("/api/v1/certificates/attention", reader).json();
    assertThat(attention.get("items"))
        .extracting(n -> n.get("status").asText())
        .containsExactly("revoked", "expiring_soon");

    JsonNode detail =
        client.get("/api/v1/certificates/" + fresh.sha256Fingerprint(), reader).json();
    assertThat(detail.at("/summary/subject").asText()).isEqualTo("CN=dev-1");
    assertThat(detail.get("uris").get(0).asText()).isEqualTo("urn:auditgate:device:dev-1");
    assertThat(Base64.getDecoder().decode(detail.get("der").asText())).isEqualTo(encoded(fresh));
    assertThat(detail.get("chain")).hasSize(3);
    assertThat(detail.at("/sightings/0/source").asText()).isEqualTo("listener_mqtt");
    assertThat(detail.at("/renewal/state").asText()).isEqualTo("not_started");
    assertThat(
            client
                .get("/api/v1/certificates/" + revoked.sha256Fingerprint(), reader)
                .json()
                .at("/revocation/reason")
                .asText())
        .isEqualTo("keyCompromise");

    ApiClient.Answer missing = client.get("/api/v1/certificates/" + "0".repeat(64), reader);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("certificate_not_found");
    assertThat(client.get("/api/v1/certificates/NOT-HEX", reader).status()).isEqualTo(400);
  }

  @Test
  void bindingsRenewalAndScansNeedTheWriteScope() throws Exception {
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
        java.sql.Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO devices (device_id, registered_via) VALUES ('dev-1', 'api'), ('dev-x', 'api')");
    }
    String sha = fresh.sha256Fingerprint();
    String binding = "/api/v1/certificates/" + sha + "/bindings/device/dev-1";
    assertThat(client.send("PUT", binding, reader, null, "").status()).isEqualTo(403);
    ApiClient.Answer bound = client.send("PUT", binding, writer, null, "");
    assertThat(bound.status()).as(bound.body()).isEqualTo(200);
    assertThat(bound.json().get("kind").asText()).isEqualTo("device");
    ApiClient.Answer elsewhere =
        client.send(
            "PUT", "/api/v1/certificates/" + sha + "/bindings/device/dev-x", writer, null, "");
    assertThat(elsewhere.status()).isEqualTo(409);
    assertThat(elsewhere.json().at("/error/code").asText()).isEqualTo("bound_elsewhere");
    assertThat(
            client
                .send("PUT", "/api/v1/certificates/" + sha + "/bindings/planet/x", writer, null, "")
                .status())
        .isEqualTo(400);
    String gateway = "/api/v1/certificates/" + sha + "/bindings/gateway/gw-1";
    assertThat(client.send("PUT", gateway, writer, null, "").status()).isEqualTo(200);
    assertThat(client.send("DELETE", gateway, writer, null, "").status()).isEqualTo(200);
    assertThat(client.send("DELETE", gateway, writer, null, "").json().at("/error/code").asText())
        .isEqualTo("binding_not_found");

    String renewal = "/api/v1/certificates/" + sha + "/renewal";
    ApiClient.Answer refused =
        client.send("POST", renewal, writer, "application/json", "{\"state\":\"blocked\"}");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("renewal_refused");
    ApiClient.Answer planned =
        client.send("POST", renewal, writer, "application/json", "{\"state\":\"planned\"}");
    assertThat(planned.status()).as(planned.body()).isEqualTo(200);
    assertThat(planned.json().get("actor").asText()).isEqualTo("token:writer");
    assertThat(
            client
                .send("POST", renewal, writer, "application/json", "{\"stat\":\"planned\"}")
                .status())
        .isEqualTo(400);
    JsonNode detail = client.get("/api/v1/certificates/" + sha, reader).json();
    assertThat(detail.at("/renewal/state").asText()).isEqualTo("planned");
    assertThat(detail.get("renewal_history")).hasSize(1);
    assertThat(detail.get("bindings").findValuesAsText("target")).containsExactly("dev-1");

    int closedPort;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ApiClient.Answer scan =
        client.send(
            "POST",
            "/api/v1/certificates/scan",
            writer,
            "application/json",
            "{\"endpoint\":\"127.0.0.1:" + closedPort + "\"}");
    assertThat(scan.status()).as(scan.body()).isEqualTo(200);
    assertThat(scan.json().get("outcome").asText()).isEqualTo("refused");
    assertThat(
            client
                .send(
                    "POST",
                    "/api/v1/certificates/scan",
                    writer,
                    "application/json",
                    "{\"endpoint\":\"x\"}")
                .status())
        .isEqualTo(400);
  }

  private static byte[] encoded(IssuedCertificate c) {
    try {
      return c.certificate().getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
