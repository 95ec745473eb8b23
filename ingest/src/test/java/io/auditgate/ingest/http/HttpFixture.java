package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.ingest.TelemetryIngest;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.WalCursor;
import io.auditgate.core.wal.WalListener;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.SegmentedWal;
import io.netty.handler.ssl.SslContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;

/**
 * A listener on a loopback port in front of a real write-ahead log in a temporary directory, with
 * the test PKI, the fake authenticator and clients for it: what every HTTP test starts from.
 */
final class HttpFixture implements AutoCloseable {
  static final TestPki PKI = TestPki.create("auditgate test CA");
  static final Map<String, String> TOKENS = Map.of("token-a", "device-a", "token-b", "device-b");
  static final Map<String, String> DEVICES_BY_CN =
      Map.of("device-a", "device-a", "device-b", "device-b");
  static final ObjectMapper JSON = new ObjectMapper();
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  // Clients hold only static trust and keys, so they are shared across tests (Java 17's client
  // cannot be closed; one per test would leave a selector thread behind each time).
  private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();
  private static final Map<String, TestPki.Credential> CREDENTIALS = new ConcurrentHashMap<>();
  private static final AtomicInteger READERS = new AtomicInteger();

  final SegmentedWal wal;
  final WalIngest walIngest;
  final HttpIngestServer server;
  final String scheme;

  private HttpFixture(
      SegmentedWal wal, WalIngest walIngest, HttpIngestServer server, String scheme) {
    this.wal = wal;
    this.walIngest = walIngest;
    this.server = server;
    this.scheme = scheme;
  }

  static Builder in(Path dir) {
    return new Builder(dir);
  }

  static final class Builder {
    private final Path dir;
    private HttpIngestConfig config = HttpIngestConfig.defaults().withBind("127.0.0.1", 0);
    private boolean anonymous;
    private Function<WalIngest, TelemetryIngest> ingest = walIngest -> walIngest;
    private Readiness readiness = Readiness.ALWAYS;
    private Clock clock = Clock.systemUTC();
    private Optional<SslContext> ssl = Optional.of(PKI.serverContext());
    private Duration certificateEventInterval = HttpIngestServer.CERTIFICATE_EVENT_INTERVAL;

    private Builder(Path dir) {
      this.dir = dir;
    }

    Builder config(HttpIngestConfig value) {
      config = value.withBind("127.0.0.1", 0);
      return this;
    }

    Builder anonymous() {
      anonymous = true;
      return this;
    }

    /** Puts another ingest in front of (or instead of) the log-backed one. */
    Builder ingest(Function<WalIngest, TelemetryIngest> wrap) {
      ingest = wrap;
      return this;
    }

    Builder readiness(Readiness value) {
      readiness = value;
      return this;
    }

    Builder clock(Clock value) {
      clock = value;
      return this;
    }

    Builder ssl(SslContext context) {
      ssl = Optional.of(context);
      return this;
    }

    Builder certificateEventInterval(Duration value) {
      certificateEventInterval = value;
      return this;
    }

    Builder plaintext() {
      ssl = Optional.empty();
      return this;
    }

    HttpFixture start() {
      // Small segments and an 8KiB bound so that a test can fill the log in a few appends; the
      // "sink" cursor never acknowledges, so nothing is ever deleted.
      WalConfig walConfig =
          new WalConfig(
              DataSize.ofKibibytes(4),
              DataSize.ofKibibytes(3),
              null,
              null,
              DataSize.ofKibibytes(8),
              null,
              null);
      SegmentedWal wal = SegmentedWal.open(dir, walConfig, Clock.systemUTC(), WalListener.NONE);
      wal.cursor("sink");
      WalIngest walIngest = new WalIngest(wal);
      HttpIngestServer server =
          new HttpIngestServer(
              config,
              ssl,
              new FakeAuthenticator(TOKENS, DEVICES_BY_CN, anonymous),
              ingest.apply(walIngest),
              readiness,
              clock,
              certificateEventInterval);
      try {
        server.start();
      } catch (RuntimeException e) {
        wal.close();
        throw e;
      }
      return new HttpFixture(wal, walIngest, server, ssl.isPresent() ? "https" : "http");
    }
  }

  // ---------------------------------------------------------------- clients

  int port() {
    return server.address().getPort();
  }

  URI uri(String path) {
    return URI.create(scheme + "://127.0.0.1:" + port() + path);
  }

  /** A client that presents no certificate. */
  static HttpClient client() {
    return CLIENTS.computeIfAbsent("", cn -> newClient(null));
  }

  /** A client that presents a certificate with subject {@code CN=commonName}. */
  static HttpClient client(String commonName) {
    return CLIENTS.computeIfAbsent(commonName, cn -> newClient(credential(cn)));
  }

  static TestPki.Credential credential(String commonName) {
    return CREDENTIALS.computeIfAbsent(commonName, PKI::device);
  }

  private static HttpClient newClient(TestPki.Credential credential) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .sslContext(PKI.clientContext(credential))
        .connectTimeout(TIMEOUT)
        .build();
  }

  HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(uri(path))
        .timeout(TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET();
  }

  static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Posts as device-a with its bearer token. */
  HttpResponse<String> postAsDeviceA(String path, String body) {
    return send(client(), post(path, body).header("Authorization", "Bearer token-a"));
  }

  static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }

  // ---------------------------------------------------------------- the log

  /** Every durable record, read through a fresh cursor. */
  List<WalRecord> records() {
    WalCursor reader = wal.cursor("reader-" + READERS.incrementAndGet());
    List<WalRecord> all = new ArrayList<>();
    for (List<WalRecord> got; !(got = reader.poll(100, Long.MAX_VALUE)).isEmpty(); ) {
      all.addAll(got);
    }
    return all;
  }

  static String text(WalRecord record) {
    return new String(record.body(), StandardCharsets.UTF_8);
  }

  /**
   * Appends filler records straight to the log until it refuses even a one-byte record, so that any
   * message is refused after. Appends are not awaited one by one: the log's group commit writes
   * them together.
   */
  void fillLog() {
    CompletableFuture<Long> last = CompletableFuture.completedFuture(-1L);
    for (int size : new int[] {512, 64, 1}) {
      for (int i = 0; ; i++) {
        if (i == 100_000) {
          throw new AssertionError("the log never filled up");
        }
        AppendOutcome outcome = wal.append(WalIngest.RECORD_TYPE, new byte[size]);
        if (outcome instanceof AppendOutcome.Refused refused) {
          assertThat(refused.reason()).isEqualTo(AppendOutcome.Reason.FULL);
          break;
        }
        last = ((AppendOutcome.Accepted) outcome).durable();
      }
    }
    last.join();
  }

  // ---------------------------------------------------------------- raw connections

  /** A TLS socket to the listener, handshake done, presenting {@code commonName}'s certificate. */
  SSLSocket rawTls(String commonName) throws IOException {
    SSLSocket socket =
        (SSLSocket)
            PKI.clientContext(commonName == null ? null : credential(commonName))
                .getSocketFactory()
                .createSocket("127.0.0.1", port());
    socket.setSoTimeout((int) TIMEOUT.toMillis());
    socket.startHandshake();
    return socket;
  }

  /** A response read off a raw connection. */
  record RawResponse(int status, Map<String, String> headers, String body) {}

  /** Reads one HTTP/1.1 response with a Content-Length body. */
  static RawResponse readResponse(InputStream in) throws IOException {
    String statusLine = readLine(in);
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
    byte[] body = in.readNBytes(length);
    return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.US_ASCII);
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }

  InetSocketAddress address() {
    return server.address();
  }

  @Override
  public void close() {
    try {
      server.close();
    } finally {
      wal.close();
    }
  }
}
