package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.FleetConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.fleet.FleetStateMonitor;
import io.auditgate.ingest.tls.PemReader;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Transport;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path a dashboard reading takes: simulated boards post over HTTPS to a real gateway,
 * which writes through its log into the embedded store; the same node serves the web API over TLS,
 * and the API shows those boards.
 */
class NodeWebTest {
  @TempDir Path dir;

  @Test
  void aNodeWithAStoreServesTheApiOverWhatItsGatewayStored() throws Exception {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    var server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    Path devices = dir.resolve("devices");
    for (String id : List.of("b-l475e-0001", "b-l475e-0002")) {
      ca.issueDevice(id, Validity.days(30)).writePem(devices, id);
    }
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-web", dir.resolve("data")))
            .withTls(
                TlsConfig.of(
                        server.certificateChain(), server.privateKey(), ca.rootCertificateFile())
                    .withClientAuth(TlsConfig.ClientAuth.OPTIONAL))
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0))
            .withFleet(new FleetConfig(Duration.ofSeconds(2), Duration.ofMinutes(15)));

    try (Node node = Node.start(config, Clock.systemUTC())) {
      FleetStateMonitor.Settings monitor = node.fleetMonitor().orElseThrow().settings();
      assertThat(monitor.interval()).isEqualTo(Duration.ofSeconds(2));
      assertThat(monitor.restartWindow()).isEqualTo(Duration.ofMinutes(15));
      WebRuntime web = node.web().orElseThrow();
      assertThat(web.baseUrl()).startsWith("https://127.0.0.1:");
      Gateway gateway = node.gateway().orElseThrow();
      SimulationPlan plan =
          new SimulationPlan(
                  2,
                  5,
                  Duration.ofSeconds(1),
                  1,
                  Endpoint.tls(
                      "localhost",
                      gateway.httpAddress().getPort(),
                      PemCredentials.trustManagerFactory(ca.rootCertificateFile())))
              .withTransport(Transport.HTTPS)
              .withCredentials(new Credentials.ClientCertificates(devices));
      new FleetSimulator(Clock.systemUTC()).run(plan, progress -> {});

      String token;
      try (ApiTokens tokens = new ApiTokens(node.storeOptions().orElseThrow(), Clock.systemUTC())) {
        token = tokens.create("test", Set.of(Scope.READ)).secret();
      }
      HttpClient http =
          HttpClient.newBuilder().sslContext(trusting(ca.rootCertificateFile())).build();
      JsonNode page = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(web.baseUrl() + "/api/v1/devices"))
                    .header("Authorization", "Bearer " + token)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        page = new ObjectMapper().readTree(r.body());
        if (page.get("total").asLong() == 2) {
          break;
        }
        Thread.sleep(250);
      }
      assertThat(page.get("items").findValuesAsText("id"))
          .containsExactly("b-l475e-0001", "b-l475e-0002");

      // The certificate inventory's API on the same server.
      HttpResponse<String> certificates =
          http.send(
              HttpRequest.newBuilder(URI.create(web.baseUrl() + "/api/v1/certificates/summary"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(certificates.statusCode()).as(certificates.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(certificates.body()).has("by_status")).isTrue();
      assertThat(node.certificates()).isPresent();

      HttpResponse<String> unauthenticated =
          http.send(
              HttpRequest.newBuilder(URI.create(web.baseUrl() + "/api/v1/summary")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(unauthenticated.statusCode()).isEqualTo(401);

      // The node's operations endpoints on the same server: its real metrics and readiness.
      String scraper;
      try (ApiTokens tokens = new ApiTokens(node.storeOptions().orElseThrow(), Clock.systemUTC())) {
        scraper = tokens.create("prometheus", Set.of(Scope.METRICS)).secret();
      }
      String exposition = "";
      deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create(web.baseUrl() + "/metrics"))
                    .header("Authorization", "Bearer " + scraper)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        exposition = r.body();
        // the fleet gauges re-read the summary at most every 15 s
        if (exposition.contains("auditgate_fleet_devices{state=\"active\"} 2.0")) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(exposition)
          .contains("auditgate_fleet_devices{state=\"active\"} 2.0")
          .containsPattern("auditgate_wal_appended_records_total [1-9]");
      HttpResponse<String> ready =
          http.send(
              HttpRequest.newBuilder(URI.create(web.baseUrl() + "/readyz")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
      assertThat(new ObjectMapper().readTree(ready.body()).get("checks").fieldNames())
          .toIterable()
          .contains("wal_writable", "disk_space", "listeners_bound", "draining");
    }
  }

  private static SSLContext trusting(Path rootCa) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("root", PemReader.readCertificates(rootCa).get(0));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
