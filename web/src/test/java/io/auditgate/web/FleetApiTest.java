package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.config.WebConfig;
import io.auditgate.fleet.Fleet;
import io.auditgate.fleet.FleetStateMonitor;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.StoreSchema;
import io.auditgate.store.StoreWriter;
import io.auditgate.web.api.FleetApi;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
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

/**
 * The fleet API over real HTTPS against a real store with the real fleet implementation: the
 * 401/403/404 distinctions, pagination, filters, the all-or-nothing import, registry writes and
 * telemetry aggregates.
 */
class FleetApiTest {
  private final Clock clock = Clock.systemUTC();
  private StoreOptions db;
  private ApiTokens tokens;
  private WebServer server;
  private ApiClient client;
  private String reader;
  private String writer;

  @BeforeEach
  void start() {
    db = TestDatabase.migrated();
    tokens = new ApiTokens(db, clock);
    reader = tokens.create("reader", Set.of(Scope.READ)).secret();
    writer = tokens.create("writer", Set.of(Scope.WRITE)).secret();
    FleetApi api = new FleetApi(Fleet.readModel(db, clock), Fleet.registry(db), clock);
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.router(api.routes(), tokens));
    server.start();
    client = new ApiClient(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
    tokens.close();
  }

  @Test
  void distinguishesUnauthenticatedForbiddenAndNotFound() {
    assertError(client.get("/api/v1/devices", null), 401, "unauthenticated");
    assertError(client.get("/api/v1/devices", "agt_" + "x".repeat(43)), 401, "unauthenticated");
    assertError(client.get("/api/v1/devices", writer), 403, "forbidden");
    assertError(
        client.send("PUT", "/api/v1/devices/d1", reader, "application/json", "{}"),
        403,
        "forbidden");
    assertThat(client.get("/api/v1/devices", reader).status()).isEqualTo(200);

    assertError(client.get("/api/v1/devices/nope", reader), 404, "device_not_found");
    assertError(client.get("/api/v1/gateways/nope", reader), 404, "gateway_not_found");
    assertError(client.get("/api/v1/devicez", reader), 404, "not_found");
    // An unknown route is 404 even without a token: a token is checked only for a real route.
    assertError(client.get("/api/v1/devicez", null), 404, "not_found");
    assertError(
        client.send("DELETE", "/api/v1/devices/d1", writer, null, ""), 405, "method_not_allowed");
  }

  @Test
  void pagesAndFiltersDevices() {
    StringBuilder csv = new StringBuilder("id,name,profile,location,tags\n");
    for (int i = 0; i < 120; i++) {
      csv.append(
          String.format(
              "dev-%03d,Board %d,default,%s,site=%s%n",
              i, i, i < 30 ? "Lab" : "Roof", i % 2 == 0 ? "north" : "south"));
    }
    ApiClient.Answer imported =
        client.send("POST", "/api/v1/devices/import", writer, "text/csv", csv.toString());
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().get("created").asInt()).isEqualTo(120);

    JsonNode first = client.get("/api/v1/devices", reader).json();
    assertThat(first.get("total").asLong()).isEqualTo(120);
    assertThat(first.get("limit").asInt()).isEqualTo(100);
    assertThat(first.get("offset").asInt()).isEqualTo(0);
    assertThat(first.get("items")).hasSize(100);

    JsonNode last = client.get("/api/v1/devices?limit=50&offset=100", reader).json();
    assertThat(last.get("items")).hasSize(20);
    assertThat(last.get("items").get(0).get("id").asText()).isEqualTo("dev-100");
    assertThat(last.get("total").asLong()).isEqualTo(120);

    assertThat(
            client
                .get("/api/v1/devices?state=never_seen&limit=1", reader)
                .json()
                .get("total")
                .asLong())
        .isEqualTo(120);
    assertThat(client.get("/api/v1/devices?state=active", reader).json().get("total").asLong())
        .isZero();
    assertThat(client.get("/api/v1/devices?tag=site%3Dnorth", reader).json().get("total").asLong())
        .isEqualTo(60);
    assertThat(client.get("/api/v1/devices?q=dev-11", reader).json().get("total").asLong())
        .isEqualTo(10);

    StringBuilder fifty = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      fifty.append(i == 0 ? "" : ",").append(String.format("dev-%03d", i));
    }
    ApiClient.Answer readings =
        client.get(
            "/api/v1/readings/latest?device=" + fifty + "&metric=temperature,humidity,pressure",
            reader);
    assertThat(readings.status()).as(readings.body()).isEqualTo(200);

    ApiClient.Answer tooMany = client.get("/api/v1/devices?limit=1001", reader);
    assertError(tooMany, 400, "bad_request");
    assertThat(tooMany.json().at("/error/parameter").asText()).isEqualTo("limit");
    assertThat(
            client
                .get("/api/v1/devices?state=sleepy", reader)
                .json()
                .at("/error/parameter")
                .asText())
        .isEqualTo("state");
  }

  @Test
  void anImportWithOneBadLineWritesNothing() {
    String csv =
        "id,name,profile\nok-1,One,default\nbad id!,Two,default\nok-3,Three,nosuchprofile\n";
    ApiClient.Answer rejected =
        client.send("POST", "/api/v1/devices/import", writer, "text/csv", csv);
    assertError(rejected, 422, "invalid_import");
    JsonNode errors = rejected.json().at("/error/errors");
    assertThat(errors.size()).isGreaterThanOrEqualTo(1);
    assertThat(errors.get(0).get("line").asInt()).isEqualTo(3);
    assertThat(errors.get(0).get("reason").asText()).isEqualTo("invalid_id");
    assertThat(client.get("/api/v1/devices", reader).json().get("total").asLong()).isZero();

    assertError(
        client.send("POST", "/api/v1/devices/import", writer, "text/plain", csv),
        415,
        "unsupported_media_type");

    String json = "[{\"id\":\"j-1\",\"tags\":{\"room\":\"a\"}},{\"id\":\"j-2\"}]";
    ApiClient.Answer ok =
        client.send("POST", "/api/v1/devices/import", writer, "application/json", json);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(client.get("/api/v1/devices", reader).json().get("total").asLong()).isEqualTo(2);
  }

  @Test
  void putsDevicesAndProfiles() {
    ApiClient.Answer profile =
        client.send(
            "PUT",
            "/api/v1/profiles/fast",
            writer,
            "application/json",
            "{\"expected_interval\":\"10s\",\"stale_after_intervals\":3,\"description\":\"1 in 10 s\"}");
    assertThat(profile.status()).as(profile.body()).isEqualTo(201);
    assertThat(profile.json().get("expected_interval").asText()).isEqualTo("PT10S");

    String body =
        "{\"name\":\"Roof board\",\"profile\":\"fast\",\"location\":\"roof\",\"tags\":{\"site\":\"north\"}}";
    ApiClient.Answer created =
        client.send("PUT", "/api/v1/devices/b-1", writer, "application/json", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().at("/registration/name").asText()).isEqualTo("Roof board");
    assertThat(created.json().get("state").asText()).isEqualTo("never_seen");
    ApiClient.Answer again =
        client.send("PUT", "/api/v1/devices/b-1", writer, "application/json", body);
    assertThat(again.status()).isEqualTo(200);

    ApiClient.Answer unknownProfile =
        client.send(
            "PUT", "/api/v1/devices/b-2", writer, "application/json", "{\"profile\":\"nope\"}");
    assertError(unknownProfile, 422, "invalid_device");
    ApiClient.Answer typo =
        client.send("PUT", "/api/v1/devices/b-2", writer, "application/json", "{\"nmae\":\"x\"}");
    assertError(typo, 400, "bad_request");
    assertThat(typo.json().at("/error/parameter").asText()).isEqualTo("nmae");
    assertError(
        client.send("PUT", "/api/v1/devices/b-2", writer, "application/json", "{not json"),
        400,
        "bad_request");

    JsonNode profiles = client.get("/api/v1/profiles", reader).json().get("items");
    assertThat(profiles.findValuesAsText("name")).contains("default", "fast");
  }

  @Test
  void servesTelemetryAggregatesLatestReadingsAndTheSummary() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    List<StoreRecord> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Instant at = now.minus(Duration.ofMinutes(30 - i));
      records.add(
          Records.telemetry(
              "gw-1", i, "t-1", i, at, Map.of("temperature", 20.0 + i, "humidity", 40.0)));
      records.add(Records.telemetry("gw-1", 100 + i, "t-2", i, at, Map.of("temperature", 10.0)));
    }
    try (StoreWriter w = new StoreWriter(db, StoreSchema.Flavor.POSTGRES)) {
      w.write(records);
    }
    try (FleetStateMonitor monitor =
        new FleetStateMonitor(db, clock, FleetStateMonitor.Settings.defaults())) {
      monitor.evaluateOnce();
    }

    JsonNode series =
        client
            .get("/api/v1/devices/t-1/telemetry?metric=temperature&window=1h&bucket=10m", reader)
            .json();
    assertThat(series.get("bucket").asText()).isEqualTo("PT10M");
    JsonNode buckets = series.at("/series/0/buckets");
    long count = 0;
    for (JsonNode b : buckets) {
      count += b.get("count").asLong();
      assertThat(b.get("min").asDouble()).isLessThanOrEqualTo(b.get("max").asDouble());
    }
    assertThat(count).isEqualTo(30);

    JsonNode all = client.get("/api/v1/devices/t-1/telemetry?window=1h", reader).json();
    assertThat(all.get("series").findValuesAsText("metric"))
        .containsExactlyInAnyOrder("temperature", "humidity");
    assertError(
        client.get("/api/v1/devices/t-1/telemetry?bucket=fast", reader), 400, "bad_request");
    assertError(client.get("/api/v1/devices/nope/telemetry", reader), 404, "device_not_found");

    JsonNode latest =
        client
            .get("/api/v1/readings/latest?device=t-1,t-2&metric=temperature", reader)
            .json()
            .get("items");
    assertThat(latest).hasSize(2);
    for (JsonNode r : latest) {
      assertThat(r.get("value").asDouble())
          .isEqualTo(r.get("device_id").asText().equals("t-1") ? 49.0 : 10.0);
    }

    JsonNode summary = client.get("/api/v1/summary?window=1h", reader).json();
    assertThat(summary.at("/devices/total").asLong()).isEqualTo(2);
    assertThat(summary.get("samples_in_window").asLong()).isGreaterThanOrEqualTo(60);

    JsonNode samples = client.get("/api/v1/gateways/samples?window=1h&bucket=5m", reader).json();
    assertThat(samples.at("/gateways/0/gateway_id").asText()).isEqualTo("gw-1");

    JsonNode gateways = client.get("/api/v1/gateways", reader).json();
    assertThat(gateways.get("items").findValuesAsText("id")).contains("gw-1");
    assertThat(client.get("/api/v1/gateways/gw-1", reader).status()).isEqualTo(200);
    assertThat(client.get("/api/v1/events?device=t-1", reader).status()).isEqualTo(200);
    assertThat(client.get("/api/v1/devices/t-1/connectivity?window=1h", reader).status())
        .isEqualTo(200);
    ApiClient.Answer posture = client.get("/api/v1/certificates/posture", reader);
    assertThat(posture.status()).isEqualTo(200);
    assertThat(posture.json().has("expiring_within_30_days")).as(posture.body()).isTrue();
    assertThat(posture.body()).doesNotContain("expiring_within30_days");
  }

  private static void assertError(ApiClient.Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.json().at("/error/code").asText()).as(answer.body()).isEqualTo(code);
    assertThat(answer.json().at("/error/message").asText()).isNotBlank();
  }
}
