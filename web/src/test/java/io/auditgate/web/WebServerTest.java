package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WebConfig;
import io.auditgate.core.ops.CheckResult;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.core.ops.MetricsExposition;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.ops.OpsRoutes;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server over real TLS with real tokens in a real PostgreSQL: the operations endpoints, the
 * error format of every status the router produces, limits and the static files.
 */
class WebServerTest {
  private final AtomicBoolean walWritable = new AtomicBoolean(true);
  private ApiTokens tokens;
  private WebServer server;
  private ApiClient client;

  private final MetricsExposition metrics =
      new MetricsExposition() {
        @Override
        public String contentType() {
          return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public void writeTo(OutputStream out) throws java.io.IOException {
          out.write("auditgate_test_total 42\n".getBytes(StandardCharsets.UTF_8));
        }
      };

  private final List<HealthCheck> checks =
      List.of(
          HealthCheck.of("disk_space", () -> CheckResult.ok("12 GiB free")),
          HealthCheck.of(
              "wal_writable",
              () ->
                  walWritable.get()
                      ? CheckResult.ok("appending")
                      : CheckResult.failed("force failed: EIO")));

  @BeforeEach
  void start() {
    tokens = new ApiTokens(TestDatabase.migrated(), Clock.systemUTC());
    List<Route> routes = new ArrayList<>(new OpsRoutes(metrics, checks).routes());
    routes.add(
        Route.get(
            "/api/v1/boom",
            Set.of(Scope.READ),
            r -> {
              throw new IllegalStateException("secret internal detail");
            }));
    routes.add(
        Route.post(
            "/api/v1/echo",
            Set.of(Scope.WRITE),
            r -> Response.ok(Map.of("bytes", r.body().length))));
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0).withMaxBodySize(DataSize.ofKibibytes(4)),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.router(routes, tokens));
    server.start();
    client = new ApiClient(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
    tokens.close();
  }

  @Test
  void healthzAndReadyzNeedNoTokenAndReportEachCheckByName() {
    ApiClient.Answer health = client.get("/healthz", null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").asText()).isEqualTo("alive");

    ApiClient.Answer ready = client.get("/readyz", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().at("/checks/disk_space/detail").asText()).isEqualTo("12 GiB free");

    walWritable.set(false);
    ApiClient.Answer notReady = client.get("/readyz", null);
    assertThat(notReady.status()).isEqualTo(503);
    assertThat(notReady.json().at("/checks/wal_writable/ok").asBoolean()).isFalse();
    assertThat(notReady.json().at("/checks/wal_writable/detail").asText()).contains("EIO");
    assertThat(notReady.json().at("/checks/disk_space/ok").asBoolean()).isTrue();
  }

  @Test
  void metricsNeedAMetricsOrReadToken() {
    ApiClient.Answer none = client.get("/metrics", null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    assertThat(none.json().at("/error/code").asText()).isEqualTo("unauthenticated");

    String writer = tokens.create("writer", Set.of(Scope.WRITE)).secret();
    ApiClient.Answer forbidden = client.get("/metrics", writer);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().at("/error/code").asText()).isEqualTo("forbidden");

    for (Scope scope : List.of(Scope.METRICS, Scope.READ)) {
      String token = tokens.create("scraper", Set.of(scope)).secret();
      ApiClient.Answer ok = client.get("/metrics", token);
      assertThat(ok.status()).isEqualTo(200);
      assertThat(ok.body()).contains("auditgate_test_total 42");
      assertThat(ok.header("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    }
  }

  @Test
  void aGarbledOrRevokedTokenIsUnauthenticatedNotForbidden() {
    var issued = tokens.create("reader", Set.of(Scope.READ));
    assertThat(client.get("/metrics", issued.secret()).status()).isEqualTo(200);
    assertThat(client.get("/metrics", issued.secret() + "x").status()).isEqualTo(401);
    assertThat(client.get("/metrics", "agt_" + "A".repeat(43)).status()).isEqualTo(401);

    tokens.revoke(issued.token().id());
    ApiClient.Answer revoked = client.get("/metrics", issued.secret());
    assertThat(revoked.status()).isEqualTo(401);
    assertThat(revoked.json().at("/error/message").asText()).contains("revoked");
  }

  @Test
  void unknownRoutesAndWrongMethodsAreJsonErrors() {
    ApiClient.Answer missing = client.get("/api/v1/nothing-here", null);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asText()).isEqualTo("not_found");
    assertThat(missing.header("content-type")).hasValue("application/json");

    ApiClient.Answer wrongMethod = client.send("DELETE", "/healthz", null, null, "");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().at("/error/code").asText()).isEqualTo("method_not_allowed");
    assertThat(wrongMethod.header("allow")).hasValue("GET");
  }

  @Test
  void aFailingHandlerIsA500WithoutItsDetails() {
    String reader = tokens.create("reader", Set.of(Scope.READ)).secret();
    ApiClient.Answer failed = client.get("/api/v1/boom", reader);
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.json().at("/error/code").asText()).isEqualTo("internal");
    assertThat(failed.body()).doesNotContain("secret internal detail").doesNotContain("at io.");
  }

  @Test
  void aBodyOverTheLimitIs413() {
    String writer = tokens.create("writer", Set.of(Scope.WRITE)).secret();
    ApiClient.Answer small =
        client.send("POST", "/api/v1/echo", writer, "application/json", "x".repeat(4000));
    assertThat(small.status()).isEqualTo(200);
    assertThat(small.json().get("bytes").asInt()).isEqualTo(4000);

    ApiClient.Answer big =
        client.send("POST", "/api/v1/echo", writer, "application/json", "x".repeat(5000));
    assertThat(big.status()).isEqualTo(413);
    assertThat(big.json().at("/error/code").asText()).isEqualTo("payload_too_large");
  }

  @Test
  void servesTheDashboardAndUplotFromTheJarAndRedirectsTheRoot() {
    ApiClient.Answer root = client.get("/", null);
    assertThat(root.status()).isEqualTo(302);
    assertThat(root.header("location")).hasValue("/dashboard/");

    ApiClient.Answer index = client.get("/dashboard/", null);
    assertThat(index.status()).isEqualTo(200);
    assertThat(index.header("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(index.body()).contains("data-testid=\"fleet-overview\"");
    assertThat(index.header("content-security-policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("script-src 'self'"));

    ApiClient.Answer uplot = client.get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null);
    assertThat(uplot.status()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");

    assertThat(client.get("/dashboard/../openapi.json", null).status()).isEqualTo(404);
    assertThat(client.get("/dashboard/%2e%2e/openapi.json", null).status()).isEqualTo(404);
    assertThat(client.get("/webjars/uplot/1.6.30/nothing.js", null).status()).isEqualTo(404);
  }

  @Test
  void anUnreachableStoreIs503NotA500() {
    StoreOptions nowhere =
        StoreOptions.of("jdbc:postgresql://127.0.0.1:1/none", "postgres", "")
            .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
    try (ApiTokens down = new ApiTokens(nowhere, Clock.systemUTC());
        WebServer cut =
            new WebServer(
                WebConfig.defaults().withBind("127.0.0.1", 0),
                Optional.of(TestTls.get().serverContext()),
                WebRoutes.router(new OpsRoutes(metrics, checks).routes(), down))) {
      cut.start();
      ApiClient.Answer answer =
          new ApiClient(cut.baseUrl()).get("/metrics", "agt_" + "B".repeat(43));
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.json().at("/error/code").asText()).isEqualTo("unavailable");
      assertThat(answer.body()).doesNotContain("127.0.0.1:1");
    }
  }

  @Test
  void refusesPlaintextUnlessOptedIn() {
    assertThatThrownBy(
            () ->
                new WebServer(
                    WebConfig.defaults().withBind("127.0.0.1", 0),
                    Optional.empty(),
                    WebRoutes.router(List.of(), tokens)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("allow_plaintext");
    try (WebServer plain =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0).withAllowPlaintext(true),
            Optional.empty(),
            WebRoutes.router(new OpsRoutes(metrics, checks).routes(), tokens))) {
      plain.start();
      assertThat(plain.baseUrl()).startsWith("http://");
      assertThat(new ApiClient(plain.baseUrl()).get("/healthz", null).status()).isEqualTo(200);
    }
  }
}
