package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that authenticates at the HTTPS listener with a client certificate is recorded as a
 * {@code certificate_presented} device event on its own events topic, through the real listener and
 * log: once per TLS connection, once per interval per (device, certificate), never for a token, and
 * never at the request's expense.
 */
@Timeout(60)
class CertificatePresentedTest {
  private static final String TELEMETRY = "{\"metrics\":{\"t\":1}}";

  @TempDir Path dir;

  @Test
  void aCertificateIsReportedOncePerConnectionWithTheFieldsTheMqttListenerWrites()
      throws Exception {
    try (HttpFixture http = HttpFixture.in(dir).certificateEventInterval(Duration.ZERO).start()) {
      try (SSLSocket socket = http.rawTls("device-a")) {
        for (int i = 0; i < 3; i++) {
          assertThat(post(socket, "/v1/ingest/device-a").status()).isEqualTo(202);
        }
      }
      List<IngestRequest> events = awaitEvents(http, 1);
      IngestRequest event = events.get(0);
      assertThat(event.transport()).isEqualTo(IngestRequest.Transport.HTTP);
      assertThat(event.sourceTopic()).isEqualTo("devices/device-a/events");
      assertThat(event.identity().deviceId()).isEqualTo("device-a");
      assertThat(event.identity().method()).isEqualTo(DeviceIdentity.Method.CLIENT_CERTIFICATE);

      X509Certificate leaf = HttpFixture.credential("device-a").chain()[0];
      JsonNode body = HttpFixture.JSON.readTree(event.body());
      assertThat(body.get("event").asText()).isEqualTo("certificate_presented");
      assertThat(body.get("protocol").asText()).isEqualTo("https");
      assertThat(body.get("tls").asText()).isEqualTo("mtls");
      assertThat(body.get("auth").asText()).isEqualTo("client_certificate");
      assertThat(body.get("certificate_sha256").asText()).isEqualTo(FakeAuthenticator.sha256(leaf));
      assertThat(body.get("certificate_subject").asText()).isEqualTo("CN=device-a");
      assertThat(Instant.parse(body.get("certificate_not_after").asText()))
          .isEqualTo(leaf.getNotAfter().toInstant());
      X509Certificate decoded =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(
                          Base64.getDecoder().decode(body.get("certificate_der").asText())));
      assertThat(decoded).isEqualTo(leaf);

      // A new connection is a new report when the interval allows it (zero here).
      try (SSLSocket socket = http.rawTls("device-a")) {
        assertThat(post(socket, "/v1/ingest/device-a").status()).isEqualTo(202);
      }
      awaitEvents(http, 2);
      assertThat(http.server.metrics().certificateEventsSent()).isEqualTo(2);
      assertThat(http.server.metrics().certificateEventsLost()).isZero();
      assertThat(telemetry(http)).hasSize(4);
    }
  }

  @Test
  void aDevicePostingOnANewConnectionEachTimeIsReportedOncePerInterval() throws Exception {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      for (int i = 0; i < 5; i++) {
        try (SSLSocket socket = http.rawTls("device-a")) {
          assertThat(post(socket, "/v1/ingest/device-a").status()).isEqualTo(202);
        }
      }
      try (SSLSocket socket = http.rawTls("device-b")) {
        assertThat(post(socket, "/v1/ingest/device-b").status()).isEqualTo(202);
      }
      awaitEvents(http, 2);
      // Every request has been answered, so every report decision has been made.
      assertThat(events(http))
          .extracting(e -> e.identity().deviceId())
          .containsExactlyInAnyOrder("device-a", "device-b");
      assertThat(http.server.metrics().certificateEventsSent()).isEqualTo(2);
      assertThat(http.server.metrics().certificateEventsSkipped()).isEqualTo(4);
    }
  }

  @Test
  void aBearerTokenOrARefusedRequestIsNoCertificateEvent() throws Exception {
    try (HttpFixture http = HttpFixture.in(dir).certificateEventInterval(Duration.ZERO).start()) {
      assertThat(http.postAsDeviceA("/v1/ingest/device-a", TELEMETRY).statusCode()).isEqualTo(202);
      // A certificate the authenticator does not accept: refused, nothing reported.
      try (SSLSocket socket = http.rawTls("stranger")) {
        assertThat(post(socket, "/v1/ingest/stranger").status()).isEqualTo(401);
      }
      // Health checks do not authenticate, so they report nothing either.
      try (SSLSocket socket = http.rawTls("device-a")) {
        write(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(HttpFixture.readResponse(socket.getInputStream()).status()).isEqualTo(200);
      }
      assertThat(events(http)).isEmpty();
      assertThat(http.server.metrics().certificateEventsSent()).isZero();
    }
  }

  @Test
  void anEventTheLogRefusesIsCountedAndTheRequestIsServed() throws Exception {
    try (HttpFixture http =
        HttpFixture.in(dir)
            .ingest(
                wal ->
                    request ->
                        request.sourceTopic().endsWith("/events")
                            ? CompletableFuture.completedFuture(
                                new IngestResult.Busy("the log is full", Duration.ofSeconds(1)))
                            : wal.ingest(request))
            .start()) {
      try (SSLSocket socket = http.rawTls("device-a")) {
        assertThat(post(socket, "/v1/ingest/device-a").status()).isEqualTo(202);
      }
      assertThat(http.server.metrics().certificateEventsSent()).isEqualTo(1);
      assertThat(http.server.metrics().certificateEventsLost()).isEqualTo(1);
      assertThat(telemetry(http)).hasSize(1);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static HttpFixture.RawResponse post(SSLSocket socket, String path) throws IOException {
    byte[] body = TELEMETRY.getBytes(StandardCharsets.UTF_8);
    write(
        socket,
        "POST "
            + path
            + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
            + body.length
            + "\r\n\r\n"
            + TELEMETRY);
    InputStream in = socket.getInputStream();
    return HttpFixture.readResponse(in);
  }

  private static void write(SSLSocket socket, String request) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static List<IngestRequest> events(HttpFixture http) {
    return http.walIngest.seen().stream().filter(r -> r.sourceTopic().endsWith("/events")).toList();
  }

  private static List<IngestRequest> telemetry(HttpFixture http) {
    return http.walIngest.seen().stream()
        .filter(r -> r.sourceTopic().startsWith("/v1/ingest/"))
        .toList();
  }

  /** The events once there are {@code n}: the listener hands them over without waiting. */
  private static List<IngestRequest> awaitEvents(HttpFixture http, int n)
      throws InterruptedException {
    for (int i = 0; i < 200 && events(http).size() < n; i++) {
      Thread.sleep(25);
    }
    assertThat(events(http)).hasSize(n);
    return events(http);
  }
}
