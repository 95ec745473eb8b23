package io.auditgate.ingest.http;

import static io.auditgate.ingest.http.HttpFixture.client;
import static io.auditgate.ingest.http.HttpFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.ingest.IngestResult;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TLS only by default, TLS 1.2+ only, and certificates from elsewhere never authenticate. */
@Timeout(60)
class TransportSecurityTest {
  private static final String MESSAGE = "{\"metrics\": {\"t\": 1}}";
  private static final int ALERT = 21;
  private static final int HANDSHAKE = 22;

  @TempDir Path dir;

  @Test
  void devicesGetTls13() {
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response = send(client("device-a"), http.get("/healthz"));

      assertThat(response.sslSession()).isPresent();
      assertThat(response.sslSession().get().getProtocol()).isEqualTo("TLSv1.3");
      assertThat(http.server.tlsEnabled()).isTrue();
    }
  }

  @Test
  void aClientPreferringHttp2IsServedHttp11() {
    HttpClient defaults =
        HttpClient.newBuilder().sslContext(HttpFixture.PKI.clientContext(null)).build();
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      HttpResponse<String> response =
          send(
              defaults,
              http.post("/v1/ingest/device-a", MESSAGE).header("Authorization", "Bearer token-b"));

      assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
      assertThat(response.statusCode()).isEqualTo(403);
    }
  }

  @Test
  void aTls11ClientHelloGetsAnAlertEvenWhenTheContextEnablesTls11() throws Exception {
    // The context asks for TLS 1.1 too; the listener must drop it. The JDK client cannot be made
    // to offer TLS 1.1 (it is disabled in java.security), so the hello is written by hand.
    SslContext permissive = HttpFixture.PKI.serverContext("TLSv1.3", "TLSv1.2", "TLSv1.1");
    try (HttpFixture http = HttpFixture.in(dir).ssl(permissive).start();
        Socket socket = new Socket("127.0.0.1", http.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(tls11ClientHello());
      socket.getOutputStream().flush();

      byte[] answer = readUntilClosed(socket.getInputStream());

      assertThat(answer).as("the server answered").isNotEmpty();
      assertThat(answer[0] & 0xff).as("a TLS alert, not a ServerHello").isEqualTo(ALERT);
      assertThat(answer).doesNotContain((byte) HANDSHAKE);
      assertThat(answer[5] & 0xff).as("fatal").isEqualTo(2);
      assertThat(answer[6] & 0xff).as("protocol_version").isEqualTo(70);
      awaitHandshakeFailures(http, 1);
    }
  }

  @Test
  void aContextThatEnablesOnlyOldProtocolsIsRefused() {
    SslContext old = HttpFixture.PKI.serverContext("TLSv1.1");
    assertThatThrownBy(
            () ->
                new HttpIngestServer(
                    HttpIngestConfig.defaults(),
                    Optional.of(old),
                    new FakeAuthenticator(Map.of(), Map.of(), false),
                    request -> new CompletableFuture<IngestResult>(),
                    Readiness.ALWAYS,
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TLSv1.3");
  }

  @Test
  void aClientContextIsRefused() throws Exception {
    SslContext clientSide = SslContextBuilder.forClient().build();
    assertThatThrownBy(
            () ->
                new HttpIngestServer(
                    HttpIngestConfig.defaults(),
                    Optional.of(clientSide),
                    new FakeAuthenticator(Map.of(), Map.of(), false),
                    request -> new CompletableFuture<IngestResult>(),
                    Readiness.ALWAYS,
                    Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void plaintextIsRefusedUnlessOptedInto() {
    assertThatThrownBy(
            () ->
                new HttpIngestServer(
                    HttpIngestConfig.defaults(),
                    Optional.empty(),
                    new FakeAuthenticator(Map.of(), Map.of(), false),
                    request -> new CompletableFuture<IngestResult>(),
                    Readiness.ALWAYS,
                    Clock.systemUTC()))
        .isInstanceOfSatisfying(
            ConfigException.class, e -> assertThat(e.key()).isEqualTo("plaintext_allowed"));
  }

  @Test
  void plaintextServesWhenOptedInto() {
    HttpIngestConfig optedIn = new HttpIngestConfig(null, null, null, null, null, null, true, null);
    try (HttpFixture http = HttpFixture.in(dir).config(optedIn).plaintext().start()) {
      // The default client tries an h2c upgrade on plaintext; the listener answers in HTTP/1.1.
      HttpResponse<String> response =
          send(
              HttpClient.newHttpClient(),
              http.post("/v1/ingest/device-a", MESSAGE).header("Authorization", "Bearer token-a"));

      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.sslSession()).isEmpty();
      assertThat(http.server.tlsEnabled()).isFalse();
    }
  }

  @Test
  void aCertificateFromAnotherCaNeverAuthenticates() {
    TestPki elsewhere = TestPki.create("some other CA");
    // Trusts the listener, but presents a certificate the listener's trust anchors did not issue.
    HttpClient impostor =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .sslContext(HttpFixture.PKI.clientContext(elsewhere.device("device-a")))
            .build();
    try (HttpFixture http = HttpFixture.in(dir).start()) {
      int status;
      try {
        status = send(impostor, http.post("/v1/ingest/device-a", MESSAGE)).statusCode();
      } catch (UncheckedIOException refusedInTheHandshake) {
        status = -1;
      }

      assertThat(status).isIn(-1, 401);
      assertThat(http.walIngest.seen()).isEmpty();
    }
  }

  /** A minimal TLS 1.1 ClientHello (RFC 4346 §7.4.1.2) with ECDHE and RSA CBC suites. */
  static byte[] tls11ClientHello() throws IOException {
    ByteArrayOutputStream hello = new ByteArrayOutputStream();
    hello.write(new byte[] {0x03, 0x02}); // client_version: TLS 1.1
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    hello.write(random);
    hello.write(0); // session_id: empty
    int[] suites = {0xC009, 0xC013, 0x002F, 0x0035, 0x000A};
    hello.write(new byte[] {0, (byte) (suites.length * 2)});
    for (int suite : suites) {
      hello.write(new byte[] {(byte) (suite >> 8), (byte) suite});
    }
    hello.write(new byte[] {1, 0}); // compression_methods: null
    // supported_groups: secp256r1; ec_point_formats: uncompressed
    byte[] extensions = HexFormat.of().parseHex("000a000400020017" + "000b00020100");
    hello.write(new byte[] {0, (byte) extensions.length});
    hello.write(extensions);
    byte[] body = hello.toByteArray();

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    int handshakeLength = 4 + body.length;
    record.write(new byte[] {HANDSHAKE, 0x03, 0x01}); // record layer: TLS 1.0, as clients send
    record.write(new byte[] {(byte) (handshakeLength >> 8), (byte) handshakeLength});
    record.write(new byte[] {0x01, 0, (byte) (body.length >> 8), (byte) body.length});
    record.write(body);
    return record.toByteArray();
  }

  private static byte[] readUntilClosed(InputStream in) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[1024];
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        all.write(buffer, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // A reset after the alert is fine; what was read before it counts.
    }
    return all.toByteArray();
  }

  private static void awaitHandshakeFailures(HttpFixture http, long expected)
      throws InterruptedException {
    for (int i = 0; i < 500 && http.server.metrics().tlsHandshakeFailures() < expected; i++) {
      Thread.sleep(10);
    }
    assertThat(http.server.metrics().tlsHandshakeFailures()).isGreaterThanOrEqualTo(expected);
  }
}
