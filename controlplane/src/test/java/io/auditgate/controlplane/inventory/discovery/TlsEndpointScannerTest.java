package io.auditgate.controlplane.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.inventory.CertificateDetail;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.InventoryTestStore;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.store.StoreOptions;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS server with a chosen certificate, and a port nobody listens on. */
class TlsEndpointScannerTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private CertificateInventory inventory;
  private SSLServerSocket server;
  private Thread acceptor;

  @AfterEach
  void close() throws Exception {
    if (server != null) {
      server.close();
      acceptor.join(5000);
    }
    if (inventory != null) {
      inventory.close();
    }
  }

  @Test
  void aLocalTlsServerPresentsItsChainWhichIsRecordedWithProtocolAndCipher() throws Exception {
    // a clock-free CA: the server must be valid for the JDK's real clock during the handshake
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    inventory =
        Inventories.jdbc(
            db,
            CLOCK,
            RevocationView.NONE,
            List.of(ca.rootCertificate()),
            InventoryPolicy.defaults());
    IssuedCertificate chosen = ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(42));
    int port = startServer(chosen);
    TlsEndpointScanner scanner =
        new TlsEndpointScanner(inventory, db, CLOCK, Duration.ofSeconds(5));

    ScanResult result = scanner.scan(new TlsEndpoint("localhost", port));

    assertThat(result).isInstanceOf(ScanResult.Scanned.class);
    ScanResult.Scanned scanned = (ScanResult.Scanned) result;
    assertThat(scanned.protocol()).isEqualTo("TLSv1.3");
    assertThat(scanned.cipherSuite()).startsWith("TLS_");
    assertThat(scanned.chainSha256())
        .containsExactly(chosen.sha256Fingerprint(), sha(ca.issuingCertificate()));
    assertThat(scanned.leafNotAfter()).isEqualTo(chosen.certificate().getNotAfter().toInstant());

    CertificateDetail detail = inventory.detail(chosen.sha256Fingerprint()).orElseThrow();
    assertThat(detail.dnsNames()).containsExactly("localhost");
    assertThat(detail.summary().trusted()).isTrue();
    assertThat(detail.sightings())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.source()).isEqualTo(SourceKind.ENDPOINT);
              assertThat(s.location()).isEqualTo("localhost:" + port);
              assertThat(s.details()).containsEntry("protocol", "TLSv1.3");
            });
    assertThat(
            InventoryTestStore.rows(
                db, "SELECT outcome, protocol, leaf_sha256 FROM certificate_endpoint_scans"))
        .containsExactly(List.of("scanned", "TLSv1.3", chosen.sha256Fingerprint()));
  }

  @Test
  void anUnreachablePortIsAClearFailureAndIsRecorded() throws Exception {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    inventory =
        Inventories.jdbc(
            db,
            CLOCK,
            RevocationView.NONE,
            List.of(ca.rootCertificate()),
            InventoryPolicy.defaults());
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    TlsEndpointScanner scanner =
        new TlsEndpointScanner(inventory, db, CLOCK, Duration.ofSeconds(2));

    ScanResult refused = scanner.scan(new TlsEndpoint("127.0.0.1", closedPort));
    ScanResult unknown = scanner.scan(new TlsEndpoint("no-such-host.invalid", 443));

    assertThat(refused).isInstanceOf(ScanResult.Failed.class);
    assertThat(((ScanResult.Failed) refused).reason()).isEqualTo(ScanResult.Reason.REFUSED);
    assertThat(((ScanResult.Failed) refused).message()).contains("127.0.0.1:" + closedPort);
    assertThat(((ScanResult.Failed) unknown).reason()).isEqualTo(ScanResult.Reason.UNKNOWN_HOST);
    assertThat(
            InventoryTestStore.rows(
                db, "SELECT endpoint, outcome FROM certificate_endpoint_scans ORDER BY 1"))
        .containsExactly(
            List.of("127.0.0.1:" + closedPort, "refused"),
            List.of("no-such-host.invalid:443", "unknown_host"));
    assertThat(InventoryTestStore.rows(db, "SELECT count(*) FROM certificates"))
        .containsExactly(List.of("0"));
  }

  @Test
  void endpointsParseFromHostAndPort() {
    assertThat(TlsEndpoint.parse("broker.example:8883"))
        .contains(new TlsEndpoint("broker.example", 8883));
    assertThat(TlsEndpoint.parse("[::1]:9093")).contains(new TlsEndpoint("::1", 9093));
    assertThat(TlsEndpoint.parse("[::1]:9093").orElseThrow().toString()).isEqualTo("[::1]:9093");
    assertThat(TlsEndpoint.parse("no-port")).isEmpty();
    assertThat(TlsEndpoint.parse("host:0")).isEmpty();
    assertThat(TlsEndpoint.parse("host:99999")).isEmpty();
    assertThat(TlsEndpoint.parse("::1:80")).isEmpty();
  }

  private int startServer(IssuedCertificate identity) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry(
        "server", identity.privateKey(), new char[0], identity.chain().toArray(Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (SSLSocket client = (SSLSocket) server.accept()) {
                  client.setSoTimeout(5000);
                  client.startHandshake();
                  client.getInputStream().read();
                } catch (Exception closedOrClientGone) {
                  // the scanner hangs up after the handshake; the test closes the server
                }
              }
            },
            "test-tls-server");
    acceptor.start();
    return server.getLocalPort();
  }

  static String sha(java.security.cert.X509Certificate c) {
    return io.auditgate.certs.x509.CertificateFacts.of(c).sha256();
  }
}
