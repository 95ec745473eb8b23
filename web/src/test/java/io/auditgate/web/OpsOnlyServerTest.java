package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.WebConfig;
import io.auditgate.core.ops.CheckResult;
import io.auditgate.core.ops.HealthCheck;
import io.auditgate.core.ops.MetricsExposition;
import io.auditgate.web.ops.OpsRoutes;
import io.auditgate.web.tokens.FailedTokenAttempts;
import io.auditgate.web.tokens.Scope;
import io.auditgate.web.tokens.TokenSecret;
import io.auditgate.web.tokens.TokensFile;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server of a node without a store, over real TLS: the operations endpoints with tokens from a
 * tokens file, the API and dashboard answering {@code no_store_on_this_node}, and the limit on
 * failed token attempts.
 */
class OpsOnlyServerTest {
  @TempDir Path dir;
  private WebServer server;
  private ApiClient client;
  private FailedTokenAttempts attempts;
  private String scraper;
  private String writer;

  private final MetricsExposition metrics =
      new MetricsExposition() {
        @Override
        public String contentType() {
          return "text/plain; version=0.0.4; charset=utf-8";
        }

        @Override
        public void writeTo(OutputStream out) throws java.io.IOException {
          out.write("auditgate_test_total 7\n".getBytes(StandardCharsets.UTF_8));
        }
      };

  @BeforeEach
  void start() {
    Path file = dir.resolve("tokens");
    scraper = created(TokensFile.append(file, "scraper", Set.of(Scope.METRICS)));
    writer = created(TokensFile.append(file, "writer", Set.of(Scope.WRITE)));
    TokensFile tokens = ((TokensFile.Loaded) TokensFile.read(file)).tokens();
    attempts = new FailedTokenAttempts(3, Duration.ofSeconds(60), Clock.systemUTC());
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(TestTls.get().serverContext()),
            WebRoutes.opsOnlyRouter(
                new OpsRoutes(
                        metrics,
                        List.of(HealthCheck.of("wal_writable", () -> CheckResult.ok("ok"))))
                    .routes(),
                tokens,
                attempts));
    server.start();
    client = new ApiClient(server.baseUrl());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void metricsWithAFileTokenOtherwise401Or403() {
    ApiClient.Answer ok = client.get("/metrics", scraper);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).contains("auditgate_test_total 7");

    assertThat(client.get("/metrics", null).status()).isEqualTo(401);
    ApiClient.Answer wrong = client.get("/metrics", TokenSecret.generate());
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().at("/error/code").asText()).isEqualTo("unauthenticated");
    ApiClient.Answer forbidden = client.get("/metrics", writer);
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().at("/error/message").asText()).contains("writer", "metrics");

    assertThat(client.get("/healthz", null).status()).isEqualTo(200);
    assertThat(client.get("/readyz", null).json().at("/checks/wal_writable/ok").asBoolean())
        .isTrue();
  }

  @Test
  void theApiAndTheDashboardSayThereIsNoStoreHere() {
    for (String path :
        List.of("/api/v1/summary", "/api/v1/devices/b-1", "/api/v1/openapi.json", "/dashboard/")) {
      ApiClient.Answer a = client.get(path, scraper);
      assertThat(a.status()).as(path).isEqualTo(404);
      assertThat(a.json().at("/error/code").asText()).as(path).isEqualTo("no_store_on_this_node");
    }
    ApiClient.Answer put =
        client.send("PUT", "/api/v1/devices/b-1", null, "application/json", "{}");
    assertThat(put.json().at("/error/code").asText()).isEqualTo("no_store_on_this_node");
    assertThat(client.get("/", null).json().at("/error/code").asText())
        .isEqualTo("no_store_on_this_node");
    assertThat(client.get("/nothing", null).json().at("/error/code").asText())
        .isEqualTo("not_found");
  }

  @Test
  void tooManyFailedAttemptsFromOneAddressAre429WithoutCheckingTheToken() {
    // a request without any token is no guess and does not count
    assertThat(client.get("/metrics", null).status()).isEqualTo(401);
    for (int i = 0; i < 3; i++) {
      assertThat(client.get("/metrics", TokenSecret.generate()).status()).isEqualTo(401);
    }

    ApiClient.Answer refused = client.get("/metrics", scraper);
    assertThat(refused.status()).as("even a valid token waits").isEqualTo(429);
    assertThat(refused.json().at("/error/code").asText()).isEqualTo("too_many_failed_attempts");
    assertThat(refused.header("retry-after"))
        .hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    assertThat(refused.json().at("/error/retry_after_seconds").asLong()).isBetween(1L, 60L);
    assertThat(client.get("/healthz", null).status()).as("public routes stay open").isEqualTo(200);

    assertThat(attempts.metrics().failedAttempts()).isEqualTo(3);
    assertThat(attempts.metrics().refusedAttempts()).isEqualTo(1);
  }

  private static String created(TokensFile.Appended appended) {
    return ((TokensFile.Created) appended).issued().secret();
  }
}
