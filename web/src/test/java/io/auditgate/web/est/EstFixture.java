package io.auditgate.web.est;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.CsrPolicy;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.enrolment.Enrolment;
import io.auditgate.controlplane.enrolment.EnrolmentTokens;
import io.auditgate.controlplane.enrolment.IssuanceRecord;
import io.auditgate.controlplane.enrolment.RevocationStatus;
import io.auditgate.core.config.WebConfig;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.TestDatabase;
import io.auditgate.web.WebRoutes;
import io.auditgate.web.WebServer;
import io.auditgate.web.http.Route;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A web server serving EST over real HTTPS as the app wires it: the node's server certificate,
 * client certificates asked for optionally and trusted when they chain to the device CA, a real
 * database.
 */
abstract class EstFixture {
  static final SecureRandom RANDOM = new SecureRandom();

  @TempDir static Path dir;
  static DevCertificateAuthority ca;
  static PemFiles serverFiles;

  StoreOptions db;
  EnrolmentTokens tokens;
  Enrolment enrolment;
  WebServer server;
  final List<IssuanceRecord> heard = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void createCa() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    serverFiles =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
  }

  @BeforeEach
  void start() throws Exception {
    db = TestDatabase.migrated();
    tokens = new EnrolmentTokens(db, Clock.systemUTC());
    enrolment =
        new Enrolment(
            db,
            ca.csrIssuer(CsrPolicy.defaults()),
            RevocationStatus.NONE_REVOKED,
            List.of(heard::add),
            Clock.systemUTC());
    List<Route> routes = new ArrayList<>(new EstRoutes(enrolment).routes());
    routes.add(
        Route.get(
            "/api/v1/secret",
            java.util.Set.of(io.auditgate.web.tokens.Scope.READ),
            r -> io.auditgate.web.http.Response.ok(java.util.Map.of("ok", true))));
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(serverContext()),
            WebRoutes.router(routes, secret -> Optional.empty()));
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What the app builds: the node's server certificate, client certificates optional. */
  static SslContext serverContext() throws Exception {
    return SslContextBuilder.forServer(
            serverFiles.certificateChain().toFile(), serverFiles.privateKey().toFile())
        .sslProvider(SslProvider.JDK)
        .clientAuth(ClientAuth.OPTIONAL)
        .trustManager(ca.rootCertificate())
        .build();
  }

  record Identity(PrivateKey key, List<X509Certificate> chain) {}

  HttpClient client(Identity identity) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyManagerFactory kmf = null;
    if (identity != null) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "device",
          identity.key(),
          "pw".toCharArray(),
          identity.chain().toArray(Certificate[]::new));
      kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "pw".toCharArray());
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder()
        .sslContext(context)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  URI uri(String path) {
    return URI.create(server.baseUrl() + EstRoutes.PREFIX + path).normalize();
  }

  HttpRequest get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET().build();
  }

  HttpRequest post(String path, byte[] csrDer, String authorization) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri(path))
            .header("content-type", "application/pkcs10")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(csrDer)));
    if (authorization != null) {
      builder.header("authorization", authorization);
    }
    return builder.build();
  }

  static String basic(String token) {
    return "Basic "
        + Base64.getEncoder().encodeToString(("device:" + token).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<byte[]> send(HttpClient client, HttpRequest request) throws Exception {
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  static List<X509Certificate> certificates(byte[] base64Pkcs7) throws Exception {
    byte[] der = Base64.getMimeDecoder().decode(base64Pkcs7);
    List<X509Certificate> out = new ArrayList<>();
    for (Certificate c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(der))) {
      out.add((X509Certificate) c);
    }
    return out;
  }

  static KeyPair rsa1024() throws Exception {
    java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    return generator.generateKeyPair();
  }
}
