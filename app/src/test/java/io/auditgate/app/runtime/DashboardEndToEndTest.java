package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.AuditgateConfig;
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
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a running node fed by simulated reference boards over MQTT/mTLS through a real
 * gateway (log, direct store sink, embedded PostgreSQL, fleet monitor), in a real headless
 * Chromium: the overview's counts equal the API's, a board's readings appear, and its page draws
 * the temperature chart. Fails (does not skip) without {@code /usr/bin/chromedriver}.
 */
class DashboardEndToEndTest {
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;

  @Test
  void theDashboardShowsSimulatedBoardsAsTheApiDoes() throws Exception {
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
    List<String> boards = List.of("b-l475e-0001", "b-l475e-0002", "b-l475e-0003");
    for (String id : boards) {
      ca.issueDevice(id, Validity.days(30)).writePem(devices, id);
    }
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-e2e", dir.resolve("data")))
            .withTls(
                TlsConfig.of(
                        server.certificateChain(), server.privateKey(), ca.rootCertificateFile())
                    .withClientAuth(TlsConfig.ClientAuth.OPTIONAL))
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0));

    try (Node node = Node.start(config, Clock.systemUTC())) {
      new FleetSimulator(Clock.systemUTC())
          .run(
              new SimulationPlan(
                      boards.size(),
                      5,
                      Duration.ofSeconds(3),
                      1,
                      Endpoint.tls(
                          "localhost",
                          node.gateway().orElseThrow().mqttAddress().getPort(),
                          PemCredentials.trustManagerFactory(ca.rootCertificateFile())))
                  .withCredentials(new Credentials.ClientCertificates(devices)),
              progress -> {});
      String token;
      try (ApiTokens tokens = new ApiTokens(node.storeOptions().orElseThrow(), Clock.systemUTC())) {
        token = tokens.create("e2e", Set.of(Scope.READ)).secret();
      }
      String base = node.web().orElseThrow().baseUrl();
      HttpClient http = HttpClient.newBuilder().sslContext(trusting(ca.rootCertificate())).build();
      // The monitor evaluates every 5 s; wait until it has seen the boards.
      JsonNode summary = null;
      for (int i = 0; i < 60; i++) {
        summary = get(http, base + "/api/v1/summary?window=1h", token);
        if (summary.at("/devices/total").asLong() == boards.size()
            && summary.at("/devices/never_seen").asLong() == 0) {
          break;
        }
        Thread.sleep(500);
      }
      assertThat(summary.at("/devices/total").asLong()).isEqualTo(boards.size());

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
      WebDriver browser =
          new ChromeDriver(
              new ChromeDriverService.Builder()
                  .usingDriverExecutable(CHROMEDRIVER.toFile())
                  .build(),
              options);
      try {
        browser.get(base + "/dashboard/#token=" + token);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(d -> text(d, "devices-total").equals(String.valueOf(boards.size())));
        JsonNode now = get(http, base + "/api/v1/summary?window=1h", token);
        wait.until(d -> text(d, "devices-active").equals(now.at("/devices/active").asText()));
        assertThat(text(browser, "gateways-total")).isEqualTo(now.at("/gateways/total").asText());
        wait.until(
            d ->
                !d.findElement(
                        By.cssSelector(
                            "[data-testid=device-row-b-l475e-0001] td[data-metric=temperature]"))
                    .getText()
                    .equals("—"));
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("target"));
        Files.copy(
            shot, Path.of("target", "dashboard-e2e.png"), StandardCopyOption.REPLACE_EXISTING);

        browser.findElement(By.cssSelector("[data-testid=device-link-b-l475e-0001]")).click();
        wait.until(
            d ->
                !d.findElements(By.cssSelector("[data-testid=chart-temperature_c] canvas"))
                    .isEmpty());
      } finally {
        browser.quit();
      }
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
