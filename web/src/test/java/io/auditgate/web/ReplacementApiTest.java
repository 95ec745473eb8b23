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
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.controlplane.replacement.Reenrolment;
import io.auditgate.controlplane.replacement.RenewalPolicy;
import io.auditgate.controlplane.replacement.ReplacementWorkflow;
import io.auditgate.controlplane.replacement.Revoker;
import io.auditgate.core.config.WebConfig;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.ReplacementApi;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code POST /api/v1/certificates/{sha256}/replace} over real HTTPS and a real store. */
class ReplacementApiTest {
  private final Clock clock = Clock.systemUTC();
  @TempDir Path dir;
  private StoreOptions db;
  private ApiTokens tokens;
  private CertificateInventory inventory;
  private WebServer server;
  private ApiClient client;
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private IssuedCertificate device;
  private IssuedCertificate gateway;

  @BeforeEach
  void start() {
    db = TestDatabase.migrated();
    tokens = new ApiTokens(db, clock);
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    device = ca.issueDevice("dev-1", Validity.days(90));
    gateway = ca.issueServer(List.of("gw.example"), Validity.days(90));
    inventory =
        Inventories.jdbc(
            db,
            clock,
            RevocationView.NONE,
            List.of(ca.rootCertificate()),
            InventoryPolicy.defaults());
    inventory.record(
        device.chain(),
        new Sighting(
            SourceKind.LISTENER_MQTT,
            "mqtt5@gw-1",
            Optional.of("dev-1"),
            clock.instant(),
            Map.of()));
    inventory.record(gateway.chain(), Sighting.of(SourceKind.FILE, "/etc/gw.pem", clock.instant()));
    ReplacementWorkflow workflow =
        new ReplacementWorkflow(
            db,
            inventory,
            RevocationView.NONE,
            (id, reason) -> {
              asked.add(id + ":" + reason);
              return new Reenrolment.Outcome.NotDelivered("not_connected");
            },
            Revoker.NONE,
            RenewalPolicy.DEFAULTS,
            clock);
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.router(new ReplacementApi(workflow).routes(), tokens));
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
  void startsAReplacementWithWriteOrAdminScopeAndSaysWhetherTheDeviceWasReached() {
    String reader = tokens.create("reader", Set.of(Scope.READ)).secret();
    String admin = tokens.create("admin", Set.of(Scope.ADMIN)).secret();
    String writer = tokens.create("writer", Set.of(Scope.WRITE)).secret();
    String path = "/api/v1/certificates/" + device.sha256Fingerprint() + "/replace";

    assertThat(post(path, null, "").status()).isEqualTo(401);
    assertThat(post(path, reader, "").status()).isEqualTo(403);
    assertThat(asked).isEmpty();

    ApiClient.Answer started = post(path, admin, "{\"reason\":\"key_rotation\"}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    JsonNode body = started.json();
    assertThat(body.get("outcome").asText()).isEqualTo("started");
    assertThat(body.get("device_id").asText()).isEqualTo("dev-1");
    assertThat(body.get("request").asText()).isEqualTo("not_connected");
    assertThat(asked).containsExactly("dev-1:key_rotation");
    assertThat(inventory.detail(device.sha256Fingerprint()).orElseThrow().renewal().state())
        .isEqualTo(RenewalState.IN_PROGRESS);

    ApiClient.Answer again = post(path, writer, "");
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.json().get("outcome").asText()).isEqualTo("already_in_progress");
    assertThat(asked).containsExactly("dev-1:key_rotation", "dev-1:replace");
  }

  @Test
  void badInputIsRefusedWithAReason() {
    String writer = tokens.create("writer", Set.of(Scope.WRITE)).secret();
    ApiClient.Answer server =
        post("/api/v1/certificates/" + gateway.sha256Fingerprint() + "/replace", writer, "");
    assertThat(server.status()).isEqualTo(409);
    assertThat(server.json().at("/error/code").asText()).isEqualTo("not_replaceable");
    assertThat(server.body()).contains("not_a_device_certificate");

    ApiClient.Answer unknown =
        post("/api/v1/certificates/" + "ab".repeat(32) + "/replace", writer, "");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(post("/api/v1/certificates/XYZ/replace", writer, "").status()).isEqualTo(400);
    String path = "/api/v1/certificates/" + device.sha256Fingerprint() + "/replace";
    ApiClient.Answer badReason = post(path, writer, "{\"reason\":\"Robert'); DROP\"}");
    assertThat(badReason.status()).isEqualTo(400);
    assertThat(badReason.json().at("/error/parameter").asText()).isEqualTo("reason");
    assertThat(post(path, writer, "{\"color\":\"red\"}").status()).isEqualTo(400);
    assertThat(asked).isEmpty();
  }

  private ApiClient.Answer post(String path, String token, String body) {
    return client.send("POST", path, token, body.isEmpty() ? null : "application/json", body);
  }
}
