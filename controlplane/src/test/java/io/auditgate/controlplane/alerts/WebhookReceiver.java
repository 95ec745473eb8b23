package io.auditgate.controlplane.alerts;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTPS webhook receiver (the JDK's server, a certificate from a fresh test CA) that records
 * every request and answers with scripted status codes (200 once the script is used up).
 */
final class WebhookReceiver implements AutoCloseable {
  record Received(Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpsServer server;
  private final SSLContext clientContext;
  private final Deque<Integer> script = new ArrayDeque<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  WebhookReceiver() throws Exception {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            Files.createTempDirectory("auditgate-webhook-ca"),
            CaOptions.defaults(),
            Optional.empty(),
            Clock.systemUTC());
    IssuedCertificate tls = ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(2));
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "server", tls.privateKey(), new char[0], tls.chain().toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);

    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);

    server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext));
    server.createContext(
        "/hook",
        exchange -> {
          byte[] body = exchange.getRequestBody().readAllBytes();
          received.add(new Received(Map.copyOf(exchange.getRequestHeaders()), body));
          int status;
          synchronized (script) {
            status = script.isEmpty() ? 200 : script.poll();
          }
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
  }

  /** The next answers, in order. */
  void answer(Integer... statuses) {
    synchronized (script) {
      script.addAll(List.of(statuses));
    }
  }

  URI url() {
    return URI.create("https://localhost:" + server.getAddress().getPort() + "/hook");
  }

  /** Trusts only this receiver's CA. */
  SSLContext clientContext() {
    return clientContext;
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
  }
}
