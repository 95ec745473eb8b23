package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.config.WebConfig;
import io.auditgate.fleet.Fleet;
import io.auditgate.fleet.FleetRegistry;
import io.auditgate.fleet.FleetStateMonitor;
import io.auditgate.fleet.ImportFormat;
import io.auditgate.fleet.ImportResult;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.StoreSchema;
import io.auditgate.store.StoreWriter;
import io.auditgate.web.api.FleetApi;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium loads the dashboard a real server serves over TLS from a real store with
 * the real fleet implementation, and the numbers it shows are checked against the API's JSON.
 * Screenshots go to {@code target/}; with {@code -Dauditgate.readme.screenshot=true} the overview
 * also replaces {@code docs/dashboard.png}, the README's picture (off by default, so that a test
 * run leaves the work tree as it found it).
 *
 * <p>Needs {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian {@code chromium
 * chromium-driver}); without them the test fails saying so, it does not skip.
 */
class DashboardBrowserTest {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Clock clock = Clock.systemUTC();
  private StoreOptions db;
  private ApiTokens tokens;
  private io.auditgate.controlplane.inventory.CertificateInventory inventory;
  private WebServer server;
  private ApiClient api;
  private String reader;
  private WebDriver browser;

  @TempDir Path profile;

  @BeforeEach
  void start() {
    assertThat(Files.isExecutable(CHROMEDRIVER))
        .as(
            "%s is missing: install Debian's chromium and chromium-driver (apt-get install"
                + " chromium chromium-driver) to run the dashboard's browser test",
            CHROMEDRIVER)
        .isTrue();
    assertThat(Files.isExecutable(CHROMIUM))
        .as("%s is missing (apt-get install chromium)", CHROMIUM)
        .isTrue();

    db = TestDatabase.migrated();
    seedFleet();
    inventory =
        io.auditgate.controlplane.inventory.Inventories.jdbc(
            db,
            clock,
            io.auditgate.controlplane.inventory.RevocationView.NONE,
            List.of(),
            io.auditgate.controlplane.inventory.InventoryPolicy.defaults());
    tokens = new ApiTokens(db, clock);
    reader = tokens.create("browser test", Set.of(Scope.READ)).secret();
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.router(
                java.util.stream.Stream.concat(
                        new FleetApi(Fleet.readModel(db, clock), Fleet.registry(db), clock)
                            .routes().stream(),
                        // the overview's posture panel reads the certificate inventory
                        new io.auditgate.web.api.CertificatesApi(inventory).routes().stream())
                    .toList(),
                tokens));
    server.start();
    api = new ApiClient(server.baseUrl());

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
        "--window-size=1400,1800",
        "--user-data-dir=" + profile.resolve("chromium"));
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (tokens != null) {
      tokens.close();
    }
    if (inventory != null) {
      inventory.close();
    }
  }

  /**
   * Two gateways, 14 boards: 10 reporting now, 2 that stopped an hour ago, 2 registered that never
   * reported; written through the real StoreWriter, then states derived by the real monitor.
   */
  private void seedFleet() {
    FleetRegistry registry = Fleet.registry(db);
    StringBuilder csv = new StringBuilder("id,name,location,tags\n");
    for (int i = 1; i <= 14; i++) {
      csv.append(
          String.format(
              "board-%02d,Board %d,%s,site=%s%n",
              i, i, i <= 7 ? "lab" : "roof", i <= 7 ? "lab" : "roof"));
    }
    ImportResult imported =
        registry.importDevices(new StringReader(csv.toString()), ImportFormat.CSV);
    assertThat(imported).isInstanceOf(ImportResult.Imported.class);

    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    List<StoreRecord> records = new ArrayList<>();
    long offset = 0;
    for (int i = 1; i <= 12; i++) {
      String device = String.format("board-%02d", i);
      String gateway = i % 2 == 0 ? "gw-north" : "gw-south";
      boolean stopped = i > 10;
      for (int k = 0; k < 60; k++) {
        Instant at =
            stopped
                ? now.minus(Duration.ofMinutes(120 - k))
                : now.minus(Duration.ofSeconds(30L * (60 - k)));
        records.add(
            Records.telemetry(
                gateway,
                offset++,
                device,
                k,
                at,
                Map.of(
                    "temperature", 20.0 + i + Math.sin(k / 5.0),
                    "humidity", 40.0 + i,
                    "pressure", 1000.0 + i)));
      }
    }
    try (StoreWriter writer = new StoreWriter(db, StoreSchema.Flavor.POSTGRES)) {
      writer.write(records);
    }
    try (FleetStateMonitor monitor =
        new FleetStateMonitor(db, clock, FleetStateMonitor.Settings.defaults())) {
      monitor.evaluateOnce();
    }
  }

  @Test
  void showsTheFleetAsTheApiReportsItAndOpensADevicePage() throws Exception {
    browser.get(server.baseUrl() + "/dashboard/#token=" + reader);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    JsonNode summary = api.get("/api/v1/summary?window=1h", reader).json();
    long total = summary.at("/devices/total").asLong();
    assertThat(total).isEqualTo(14);
    wait.until(d -> text(d, "devices-total").equals(String.valueOf(total)));

    assertThat(browser.getCurrentUrl())
        .as("the token leaves the address bar")
        .doesNotContain(reader);
    assertThat(text(browser, "devices-active")).isEqualTo(summary.at("/devices/active").asText());
    assertThat(text(browser, "devices-stale")).isEqualTo(summary.at("/devices/stale").asText());
    assertThat(text(browser, "devices-offline")).isEqualTo(summary.at("/devices/offline").asText());
    assertThat(text(browser, "devices-never-seen"))
        .isEqualTo(summary.at("/devices/never_seen").asText());
    assertThat(text(browser, "gateways-up")).isEqualTo(summary.at("/gateways/up").asText());
    assertThat(text(browser, "gateways-total")).isEqualTo(summary.at("/gateways/total").asText());
    assertThat(summary.at("/devices/never_seen").asLong()).isEqualTo(2);
    assertThat(parse(text(browser, "samples-window")))
        .isEqualTo(summary.get("samples_in_window").asLong());

    // Latest readings in the table are the API's.
    wait.until(d -> d.findElements(By.cssSelector("[data-testid^=device-row-]")).size() == 14);
    JsonNode latest =
        api.get("/api/v1/readings/latest?device=board-03&metric=temperature", reader).json();
    double temperature = latest.at("/items/0/value").asDouble();
    WebElement cell =
        browser.findElement(
            By.cssSelector("[data-testid=device-row-board-03] td[data-metric=temperature]"));
    assertThat(Double.parseDouble(cell.getText().replace(",", "")))
        .isCloseTo(temperature, org.assertj.core.data.Offset.offset(0.051));

    // The samples chart drew one series per gateway.
    wait.until(d -> "2".equals(d.findElement(By.id("samples-chart")).getAttribute("data-series")));
    assertThat(browser.findElements(By.cssSelector("#samples-chart canvas"))).isNotEmpty();
    assertThat(browser.findElements(By.cssSelector("[data-testid^=gateway-row-]"))).hasSize(2);
    screenshot("dashboard-overview.png", true);

    // Auto-refresh: new numbers appear without a reload.
    Object marker =
        ((JavascriptExecutor) browser).executeScript("window.__noReload = 1; return 1;");
    assertThat(marker).isNotNull();

    browser.findElement(By.cssSelector("[data-testid=device-link-board-03]")).click();
    wait.until(d -> d.getCurrentUrl().contains("device.html?id=board-03"));
    wait.until(
        d -> !d.findElements(By.cssSelector("[data-testid=chart-temperature] canvas")).isEmpty());
    JsonNode device = api.get("/api/v1/devices/board-03", reader).json();
    wait.until(
        d ->
            text(d, "device-samples")
                .equals(String.valueOf(device.get("samples_in_window").asLong())));
    assertThat(text(browser, "device-state"))
        .isEqualTo(device.get("state").asText().replace("_", " "));
    assertThat(
            browser
                .findElement(By.cssSelector("[data-testid=chart-temperature]"))
                .getAttribute("data-points"))
        .isNotEqualTo("0");
    screenshot("dashboard-device.png", false);

    // Drag-zoom over the last part of the chart: the range is fetched again with a finer bucket.
    String before = text(browser, "bucket-info");
    WebElement over =
        browser.findElement(By.cssSelector("[data-testid=chart-temperature] .u-over"));
    int width = over.getSize().getWidth();
    new Actions(browser)
        .moveToElement(over, width / 2 - 40, 0)
        .clickAndHold()
        .moveByOffset(38, 0)
        .release()
        .perform();
    wait.until(d -> d.findElement(By.id("zoom-reset")).isDisplayed());
    wait.until(d -> !text(d, "bucket-info").equals(before));
    assertThat(text(browser, "bucket-info")).as("finer than %s", before).doesNotContain("5 min");

    // Without a token the page asks for one instead of showing data.
    ((JavascriptExecutor) browser).executeScript("sessionStorage.clear();");
    browser.navigate().refresh();
    wait.until(d -> d.findElement(By.id("token-form")).isDisplayed());
    assertThat(browser.findElement(By.id("main")).isDisplayed()).isFalse();
  }

  @Test
  void autoRefreshShowsNewDataWithoutReloading() {
    browser.get(server.baseUrl() + "/dashboard/#token=" + reader);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(d -> text(d, "devices-total").equals("14"));
    ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");

    Fleet.registry(db).importDevices(new StringReader("id\nlate-board\n"), ImportFormat.CSV);
    wait.until(d -> text(d, "devices-total").equals("15"));
    assertThat(
            ((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;"))
        .as("the page was updated in place, not reloaded")
        .isEqualTo(true);
  }

  @Test
  void aThousandDevicesCostAFixedHandfulOfRequestsAndTheGatewayPageShowsItsGateway() {
    StringBuilder csv = new StringBuilder("id,location\n");
    for (int i = 0; i < 1000; i++) {
      csv.append(String.format("fleet-%04d,hall %d%n", i, i % 10));
    }
    assertThat(Fleet.registry(db).importDevices(new StringReader(csv.toString()), ImportFormat.CSV))
        .isInstanceOf(ImportResult.Imported.class);

    browser.get(server.baseUrl() + "/dashboard/#token=" + reader);
    WebDriverWait wait = new WebDriverWait(browser, WAIT);
    wait.until(
        d -> text(d, "devices-total").equals("1,014") || text(d, "devices-total").equals("1014"));
    wait.until(d -> d.findElements(By.cssSelector("[data-testid^=device-row-]")).size() == 50);
    assertThat(text(browser, "page-info")).contains("1–50 of 1014");

    JavascriptExecutor js = (JavascriptExecutor) browser;
    js.executeScript("performance.clearResourceTimings();");
    // Two refreshes (every 5 s) and then some.
    new WebDriverWait(browser, Duration.ofSeconds(15))
        .pollingEvery(Duration.ofMillis(500))
        .until(
            d ->
                ((Number)
                            js.executeScript(
                                "return performance.getEntriesByType('resource')"
                                    + ".filter(e => e.name.includes('/api/v1/summary')).length;"))
                        .intValue()
                    >= 2);
    @SuppressWarnings("unchecked")
    List<String> calls =
        (List<String>)
            js.executeScript(
                "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"
                    + ".filter(p => p.startsWith('/api/'));");
    long refreshes = calls.stream().filter(p -> p.equals("/api/v1/summary")).count();
    assertThat(calls)
        .as(
            "no request per device: one page of devices and one latest-readings call per refresh,"
                + " two for the certificate posture")
        .noneMatch(p -> p.startsWith("/api/v1/devices/"))
        .hasSizeLessThanOrEqualTo((int) (7 * (refreshes + 1)));

    browser.findElement(By.cssSelector("[data-testid=gateway-row-gw-north] a")).click();
    wait.until(d -> d.getCurrentUrl().contains("gateway.html?id=gw-north"));
    wait.until(d -> !text(d, "gateway-state").isEmpty());
    JsonNode gateway = api.get("/api/v1/gateways/gw-north", reader).json();
    assertThat(text(browser, "gateway-state"))
        .isEqualTo(gateway.at("/gateway/state").asText().replace("_", " "));
    assertThat(parse(text(browser, "gateway-wal"))).isEqualTo(gateway.get("wal_records").asLong());
    wait.until(
        d -> !d.findElements(By.cssSelector("[data-testid=throughput-chart] canvas")).isEmpty());
  }

  private void screenshot(String name, boolean forReadme) throws Exception {
    Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Path target = Path.of("target", name);
    Files.createDirectories(target.getParent());
    Files.copy(png, target, StandardCopyOption.REPLACE_EXISTING);
    Path docs = Path.of("..", "docs");
    if (forReadme && Boolean.getBoolean("auditgate.readme.screenshot") && Files.isDirectory(docs)) {
      Files.copy(png, docs.resolve("dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static String text(WebDriver d, String id) {
    return d.findElement(By.id(id)).getText().trim();
  }

  private static long parse(String shown) {
    return Long.parseLong(shown.replace(",", "").replace(" ", "").replace("\u202f", ""));
  }
}
