package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateInventoryConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's certificate pages on a running node whose certificates come from simulated
 * reference boards connecting over MQTT with real client certificates (one of them five days from
 * expiry), seen by the listener, collected into the inventory: in a real headless Chromium the
 * overview's posture panel shows the API's counts, a count leads to the inventory filtered to what
 * it counts, the inventory's filters give the API's answer, and a certificate's page shows the
 * API's subject, fingerprint, status, chain and timeline. Screenshots go to {@code target/}; with
 * {@code -Dauditgate.readme.screenshot=true} the certificate's page also replaces {@code
 * docs/dashboard-certificates.png}. Fails (does not skip) without {@code /usr/bin/chromedriver}.
 */
class CertificatePagesEndToEndTest {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String EXPIRING_BOARD = "b-l475e-0002";

  @TempDir Path dir;

  @Test
  void postureInventoryAndDetailShowWhatTheApiReports() throws Exception {
    assertThat(Files.isExecutable(CHROMEDRIVER))
        .as("%s is missing: apt-get install chromium chromium-driver", CHROMEDRIVER)
        .isTrue();
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    var server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    Path devices = dir.resolve("devices");
    List<String> boards = List.of("b-l475e-0001", EXPIRING_BOARD, "b-l475e-0003");
    for (String id : boards) {
      Validity validity =
          id.equals(EXPIRING_BOARD)
              // 30 days long, 25 used: five days and under a third of its lifetime left
              ? new Validity(Duration.ofDays(-25), Duration.ofDays(5))
              : Validity.days(365);
      ca.issueDevice(id, validity).writePem(devices, id);
    }
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-certs", dir.resolve("data")))
            .withTls(
                TlsConfig.of(
                        server.certificateChain(), server.privateKey(), ca.rootCertificateFile())
                    .withClientAuth(TlsConfig.ClientAuth.OPTIONAL))
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0))
            .withCertificates(
                CertificatesConfig.defaults()
                    .withInventory(
                        new CertificateInventoryConfig(
                            null, null, null, Duration.ofSeconds(1), null, null, null)));

    try (Node node = Node.start(config, Clock.systemUTC())) {
      // The issuing CA as a published trust bundle, as issuance records it: the listener sees only
      // the boards' leaves, whose chains are judged against the intermediates the inventory knows.
      IssuedCertificate spare = ca.issueDevice("spare-0001", Validity.days(365));
      node.certificates()
          .orElseThrow()
          .inventory()
          .record(
              spare.chain().subList(1, spare.chain().size()),
              Sighting.of(SourceKind.TRUST_BUNDLE, "development CA", Instant.now()));
      new FleetSimulator(Clock.systemUTC())
          .run(
              new SimulationPlan(
                      boards.size(),
                      3,
                      Duration.ofSeconds(2),
                      1,
                      Endpoint.tls(
                          "localhost",
                          node.gateway().orElseThrow().mqttAddress().getPort(),
                          PemCredentials.trustManagerFactory(ca.rootCertificateFile())))
                  .withCredentials(new Credentials.ClientCertificates(devices)),
              progress -> {});
      // A spare certificate found in a file: in the inventory, bound to nothing.
      node.certificates()
          .orElseThrow()
          .inventory()
          .record(
              spare.chain(),
              new Sighting(
                  SourceKind.FILE,
                  dir.resolve("spare-0001.pem").toString(),
                  Optional.empty(),
                  Instant.now(),
                  Map.of()));
      StoreOptions store = node.storeOptions().orElseThrow();
      String token;
      try (ApiTokens tokens = new ApiTokens(store, Clock.systemUTC())) {
        token = tokens.create("e2e", Set.of(Scope.READ)).secret();
      }
      String base = node.web().orElseThrow().baseUrl();
      HttpClient http = HttpClient.newBuilder().sslContext(trusting(ca.rootCertificate())).build();

      // The collector picks up the boards' connect events every second.
      JsonNode seen = null;
      for (int i = 0; i < 60; i++) {
        seen = get(http, base + "/api/v1/certificates?source=listener_mqtt", token);
        if (seen.get("total").asLong() == boards.size()) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(seen.get("total").asLong()).as(seen.toString()).isEqualTo(boards.size());
      String expiringSha =
          get(http, base + "/api/v1/certificates?device=" + EXPIRING_BOARD, token)
              .at("/items/0/sha256")
              .asText();
      try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
        CertificateEventLog.append(
            c,
            expiringSha,
            Instant.now(),
            "alert_raised",
            "CN=" + EXPIRING_BOARD + ": expires within 30 days",
            Map.of("rule", "expiring_30_days"));
      }
      JsonNode summary = get(http, base + "/api/v1/certificates/summary", token);
      assertThat(summary.at("/by_status/expiring_soon").asLong())
          .as(summary.toString())
          .isEqualTo(1);
      assertThat(summary.get("unbound").asLong()).isPositive();

      WebDriver browser = chromium();
      try {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        browser.get(base + "/dashboard/#token=" + token);

        // Overview: every posture count is the API's.
        wait.until(d -> text(d, "cert-total").equals(summary.get("total").asText()));
        wait.until(d -> !d.findElements(By.id("posture-rule-unbound")).isEmpty());
        for (Map.Entry<String, JsonNode> e : summary.get("by_status").properties()) {
          assertThat(text(browser, "posture-status-" + e.getKey()))
              .as("status %s", e.getKey())
              .isEqualTo(e.getValue().asText());
        }
        for (Map.Entry<String, JsonNode> e : summary.get("expiring_within_days").properties()) {
          assertThat(text(browser, "posture-expiring-" + e.getKey()))
              .as("expiring within %s days", e.getKey())
              .isEqualTo(e.getValue().asText());
        }
        for (String rule :
            List.of(
                "unbound",
                "shared",
                "revoked_still_connecting",
                "weak_keys",
                "sha1_signatures",
                "untrusted",
                "older_than_max_age")) {
          assertThat(text(browser, "posture-rule-" + rule))
              .as(rule)
              .isEqualTo(summary.get(rule).asText());
        }
        assertThat(text(browser, "cert-expiring"))
            .isEqualTo(summary.at("/expiring_within_days/30").asText());
        assertThat(text(browser, "cert-expired"))
            .isEqualTo(summary.at("/by_status/expired").asText());
        wait.until(d -> d.findElement(By.id("cert-rows")).getText().contains(EXPIRING_BOARD));
        shot(browser, "certificates-overview.png", false);

        // A count leads to the inventory filtered to what it counts.
        browser.findElement(By.id("posture-link-rule-unbound")).click();
        wait.until(d -> d.getCurrentUrl().contains("certificates.html?condition=unbound"));
        JsonNode unbound = get(http, base + "/api/v1/certificates?condition=unbound", token);
        wait.until(d -> rows(d) == unbound.get("items").size());
        assertThat(
                browser.findElements(
                    By.cssSelector("[data-testid=cert-row-" + spare.sha256Fingerprint() + "]")))
            .hasSize(1);
        assertThat(
                new Select(browser.findElement(By.id("f-condition")))
                    .getFirstSelectedOption()
                    .getAttribute("value"))
            .isEqualTo("unbound");

        // Filters in the form: status, then a device.
        browser.findElement(By.id("f-clear")).click();
        wait.until(d -> text(d, "cert-page-info").endsWith("of " + summary.get("total").asText()));
        shot(browser, "certificates-inventory.png", false);
        new Select(browser.findElement(By.id("f-status"))).selectByValue("expiring_soon");
        wait.until(d -> d.getCurrentUrl().contains("status=expiring_soon"));
        wait.until(d -> rows(d) == 1);
        assertThat(
                browser.findElements(By.cssSelector("[data-testid=cert-row-" + expiringSha + "]")))
            .hasSize(1);
        new Select(browser.findElement(By.id("f-status"))).selectByValue("");
        browser.findElement(By.id("f-device")).sendKeys("b-l475e-0001");
        JsonNode one = get(http, base + "/api/v1/certificates?device=b-l475e-0001", token);
        String oneSha = one.at("/items/0/sha256").asText();
        wait.until(
            d ->
                rows(d) == one.get("items").size()
                    && !d.findElements(By.cssSelector("[data-testid=cert-row-" + oneSha + "]"))
                        .isEmpty());
        new Select(browser.findElement(By.id("f-sort"))).selectByValue("subject");
        wait.until(d -> d.getCurrentUrl().contains("sort=subject"));

        // A filter the API refuses is shown with the API's reason, not as an empty inventory.
        browser.findElement(By.id("f-device")).clear();
        browser.findElement(By.id("f-expiring")).sendKeys("0");
        wait.until(d -> d.findElement(By.id("cert-error")).isDisplayed());
        assertThat(text(browser, "cert-error")).contains("expiring_within_days");
        assertThat(rows(browser)).isZero();

        // Back to the expiring board's certificate, then its page.
        browser.get(
            base
                + "/dashboard/certificates.html?device="
                + URLEncoder.encode(EXPIRING_BOARD, StandardCharsets.UTF_8));
        wait.until(
            d ->
                !d.findElements(By.cssSelector("[data-testid=cert-link-" + expiringSha + "]"))
                    .isEmpty());
        browser.findElement(By.cssSelector("[data-testid=cert-link-" + expiringSha + "]")).click();
        wait.until(d -> d.getCurrentUrl().contains("certificate.html?sha256=" + expiringSha));
        JsonNode detail = get(http, base + "/api/v1/certificates/" + expiringSha, token);
        wait.until(d -> text(d, "cert-sha256").equals(expiringSha));
        assertThat(text(browser, "cert-subject-dn"))
            .isEqualTo(detail.at("/summary/subject").asText());
        assertThat(text(browser, "cert-serial"))
            .isEqualTo(detail.at("/summary/serial_hex").asText());
        assertThat(text(browser, "cert-status"))
            .isEqualTo(detail.at("/summary/status").asText().replace('_', ' '))
            .isEqualTo("expiring soon");
        assertThat(text(browser, "cert-days-left")).isIn("4", "5");
        assertThat(text(browser, "cert-sans")).contains("urn:auditgate:device:" + EXPIRING_BOARD);
        wait.until(
            d ->
                d.findElements(By.cssSelector("#chain-rows tr")).size()
                    == detail.get("chain").size());
        assertThat(browser.findElements(By.cssSelector("#sighting-rows tr")))
            .hasSize(detail.get("sightings").size());
        wait.until(
            d ->
                !d.findElements(By.cssSelector("#cert-timeline li[data-kind=alert_raised]"))
                    .isEmpty());
        JsonNode events =
            get(http, base + "/api/v1/certificates/" + expiringSha + "/events", token);
        assertThat(browser.findElements(By.cssSelector("#cert-timeline li")))
            .hasSize(events.get("items").size());
        assertThat(
                browser
                    .findElement(By.cssSelector("#cert-timeline li[data-kind=first_seen]"))
                    .getText())
            .contains("first seen: listener_mqtt at mqtt");
        assertThat(text(browser, "renewal-state")).isEqualTo("not started");
        shot(browser, "certificates-detail.png", true);

        // A certificate the inventory does not know: the page says so.
        browser.get(base + "/dashboard/certificate.html?sha256=" + "0".repeat(64));
        wait.until(d -> d.findElement(By.id("not-found")).isDisplayed());
        assertThat(text(browser, "not-found")).contains("0".repeat(64));
      } finally {
        browser.quit();
      }
    }
  }

  private WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--ignore-certificate-errors",
        "--window-size=1400,1100",
        "--user-data-dir=" + dir.resolve("chromium"));
    return new ChromeDriver(
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build(),
        options);
  }

  private static int rows(WebDriver d) {
    return d.findElements(By.cssSelector("#cert-table-rows tr")).size();
  }

  private static void shot(WebDriver browser, String name, boolean forDocs) throws Exception {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(Path.of("target"));
    Files.copy(png, Path.of("target", name), StandardCopyOption.REPLACE_EXISTING);
    Path docs = Path.of("..", "docs");
    if (forDocs && Boolean.getBoolean("auditgate.readme.screenshot") && Files.isDirectory(docs)) {
      Files.copy(
          png, docs.resolve("dashboard-certificates.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static JsonNode get(HttpClient http, String url, String token) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }

  private static String text(WebDriver d, String id) {
    return d.findElement(By.id(id)).getText().trim();
  }

  private static SSLContext trusting(java.security.cert.X509Certificate root) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("root", root);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
