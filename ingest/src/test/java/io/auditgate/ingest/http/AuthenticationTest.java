package io.auditgate.ingest.http;

import static io.auditgate.ingest.http.HttpFixture.client;
import static io.auditgate.ingest.http.HttpFixture.json;
import static io.auditgate.ingest.http.HttpFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who may send what: client certificates, bearer tokens, anonymous access and the rate limit. */
@Timeout(60)
class AuthenticationTest {
  private static final String MESSAGE = "{\"metrics\": {\"t\": 1}}";

  @TempDir Path dir;

  @Test
  void noCredentialsIs401WithABearerChallenge() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response = send(client(), http.post("/v1/ingest/device-a", MESSAGE));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"auditgate\"");
      assertThat(json(response).get("code").asText()).isEqualTo("unauthenticated");
      assertThat(http.walIngest.seen()).isEmpty();
    }
  }

  @Test
  void aWrongTokenIs401WithInvalidToken() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> wrong =
          send(
              client(),
              http.post("/v1/ingest/device-a", MESSAGE).header("Authorization", "Bearer nope"));
      HttpResponse<String> basic =
          send(
              client(),
              http.post("/v1/ingest/device-a", MESSAGE)
                  .header("Authorization", "Basic ZGV2aWNlLWE6dG9rZW4tYQ=="));

      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("WWW-Authenticate").orElseThrow())
          .startsWith("Bearer ")
          .contains("error=\"invalid_token\"");
      assertThat(basic.statusCode()).isEqualTo(401);
      assertThat(http.walIngest.seen()).isEmpty();
      assertThat(http.server.metrics().authFailures()).isEqualTo(2);
    }
  }

  @Test
  void aBearerTokenIdentifiesItsDevice() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response =
          send(
              client(),
              http.post("/v1/ingest/device-b", MESSAGE).header("Authorization", "bearer token-b"));

      assertThat(response.statusCode()).isEqualTo(202);
      DeviceIdentity identity = http.walIngest.seen().get(0).identity();
      assertThat(identity.deviceId()).isEqualTo("device-b");
      assertThat(identity.method()).isEqualTo(DeviceIdentity.Method.TOKEN);
    }
  }

  @Test
  void aTokenForAnotherDeviceIs403() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response = http.postAsDeviceA("/v1/ingest/device-b", MESSAGE);

      assertThat(response.statusCode()).isEqualTo(403);
      assertThat(json(response).get("code").asText()).isEqualTo("wrong_device");
      assertThat(http.walIngest.seen()).isEmpty();
      assertThat(http.records()).isEmpty();
    }
  }

  @Test
  void aClientCertificateIdentifiesItsDeviceWithoutAnyHeader() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response =
          send(client("device-a"), http.post("/v1/ingest/device-a", MESSAGE));

      assertThat(response.statusCode()).isEqualTo(202);
      DeviceIdentity identity = http.walIngest.seen().get(0).identity();
      assertThat(identity.deviceId()).isEqualTo("device-a");
      assertThat(identity.method()).isEqualTo(DeviceIdentity.Method.CLIENT_CERTIFICATE);
      assertThat(identity.certificateSha256())
          .hasValue(FakeAuthenticator.sha256(HttpFixture.credential("device-a").chain()[0]));
    }
  }

  @Test
  void aClientCertificateForAnotherDeviceIs403() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response =
          send(client("device-b"), http.post("/v1/ingest/device-a", MESSAGE));

      assertThat(response.statusCode()).isEqualTo(403);
      // No telemetry; the certificate was presented and verified all the same, so device-b's
      // certificate_presented event is logged (it is a true sighting of device-b's certificate).
      assertThat(http.walIngest.seen())
          .singleElement()
          .satisfies(
              event -> {
                assertThat(event.sourceTopic()).isEqualTo("devices/device-b/events");
                assertThat(event.identity().deviceId()).isEqualTo("device-b");
              });
    }
  }

  @Test
  void aCertificateTheAuthenticatorDoesNotKnowIs401EvenWithAGoodToken() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> unknown =
          send(client("stranger"), http.post("/v1/ingest/device-a", MESSAGE));
      HttpResponse<String> unknownWithToken =
          send(
              client("stranger"),
              http.post("/v1/ingest/device-a", MESSAGE).header("Authorization", "Bearer token-a"));

      assertThat(unknown.statusCode()).isEqualTo(401);
      assertThat(unknownWithToken.statusCode()).isEqualTo(401);
      assertThat(http.walIngest.seen()).isEmpty();
    }
  }

  @Test
  void aCertificateAndATokenNamingDifferentDevicesAre401() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> conflicting =
          send(
              client("device-a"),
              http.post("/v1/ingest/device-a", MESSAGE).header("Authorization", "Bearer token-b"));
      HttpResponse<String> agreeing =
          send(
              client("device-a"),
              http.post("/v1/ingest/device-a", MESSAGE).header("Authorization", "Bearer token-a"));

      assertThat(conflicting.statusCode()).isEqualTo(401);
      assertThat(json(conflicting).get("message").asText()).contains("different devices");
      assertThat(agreeing.statusCode()).isEqualTo(202);
      assertThat(http.walIngest.seen().get(0).identity().method())
          .isEqualTo(DeviceIdentity.Method.CLIENT_CERTIFICATE);
    }
  }

  @Test
  void anonymousRequestsAreTakenOnlyWhenTheAuthenticatorAllowsThem() {
    try (HttpFixture http = HttpFixture.in(dir).anonymous().start()) {
      HttpResponse<String> response = send(client(), http.post("/v1/ingest/device-z", MESSAGE));
      HttpResponse<String> badToken =
          send(
              client(),
              http.post("/v1/ingest/device-z", MESSAGE).header("Authorization", "Bearer nope"));

      assertThat(response.statusCode()).isEqualTo(202);
      IngestRequest request = http.walIngest.seen().get(0);
      assertThat(request.identity())
          .isEqualTo(
              new DeviceIdentity("device-z", DeviceIdentity.Method.ANONYMOUS, Optional.empty()));
      assertThat(badToken.statusCode())
          .as("a presented credential must verify even when anonymous access is allowed")
          .isEqualTo(401);
    }
  }

  @Test
  void aDeviceOverItsRateIs429UntilItsBucketRefills() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    HttpIngestConfig config = new HttpIngestConfig(null, null, null, null, null, null, null, 2);
    try (HttpFixture http = HttpFixture.in(dir).config(config).clock(clock).start()) {
      assertThat(http.postAsDeviceA("/v1/ingest/device-a", MESSAGE).statusCode()).isEqualTo(202);
      assertThat(http.postAsDeviceA("/v1/ingest/device-a", MESSAGE).statusCode()).isEqualTo(202);

      HttpResponse<String> limited = http.postAsDeviceA("/v1/ingest/device-a", MESSAGE);
      HttpResponse<String> otherDevice =
          send(
              client(),
              http.post("/v1/ingest/device-b", MESSAGE).header("Authorization", "Bearer token-b"));
      clock.advance(Duration.ofMillis(500));
      HttpResponse<String> refilled = http.postAsDeviceA("/v1/ingest/device-a", MESSAGE);

      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(json(limited).get("code").asText()).isEqualTo("rate_limited");
      assertThat(otherDevice.statusCode()).isEqualTo(202);
      assertThat(refilled.statusCode()).isEqualTo(202);
      assertThat(http.records()).hasSize(4);
      assertThat(http.server.metrics().rateLimited()).isEqualTo(1);
    }
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
