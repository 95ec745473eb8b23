package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.IssuedCertificate;
import io.auditgate.ingest.auth.RevocableSessions;
import io.auditgate.ingest.auth.RevocationPki;
import io.auditgate.ingest.auth.RevokedSessionSweeper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revoked device certificates on the HTTPS ingest listener: a keep-alive connection opened before
 * the revocation is closed by the sweep, and a new connection with the certificate is refused.
 */
@Timeout(60)
class RevokedCertificateHttpsTest {
  private static final String BODY = "{\"metrics\":{\"t\":1}}";

  @TempDir Path dir;
  private RevocationPki pki;

  @BeforeEach
  void createPki() {
    pki = new RevocationPki(dir.resolve("ca"));
  }

  @Test
  void aKeepAliveConnectionIsDroppedOnceItsCertificateIsRevokedAndANewOneIsRefused()
      throws Exception {
    IssuedCertificate device = pki.device("device-a");
    IssuedCertificate other = pki.device("device-b");
    try (HttpFixture http = HttpFixture.in(dir.resolve("wal")).ssl(pki.serverContext()).start();
        RevokedSessionSweeper sweeper =
            new RevokedSessionSweeper(
                pki.check(),
                List.of(new RevocableSessions("https", http.server::dropRevoked)),
                Duration.ofSeconds(1));
        SSLSocket revokedLater = open(http, device);
        SSLSocket stays = open(http, other)) {
      assertThat(post(revokedLater).status()).isEqualTo(202);
      assertThat(post(stays).status()).isEqualTo(202);

      long revokedAt = System.nanoTime();
      pki.revoke(device);

      assertThat(closedWithin(revokedLater, Duration.ofSeconds(5))).isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isLessThan(Duration.ofSeconds(4));
      // The sweep counts a drop once the close it started has returned; the client may see the
      // close first.
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (sweeper.metrics().dropped().get("https") == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(sweeper.metrics().dropped()).containsEntry("https", 1L);
      assertThat(post(stays).status()).as("the other device keeps its connection").isEqualTo(202);

      try (SSLSocket again = open(http, device)) {
        assertThat(refused(again)).as("the handshake refuses the revoked certificate").isTrue();
      }
    }
  }

  private SSLSocket open(HttpFixture http, IssuedCertificate device) throws Exception {
    SSLSocket socket =
        (SSLSocket)
            pki.clientContext(device).getSocketFactory().createSocket("127.0.0.1", http.port());
    socket.setSoTimeout(5000);
    return socket;
  }

  private static HttpFixture.RawResponse post(SSLSocket socket) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(
        ("POST /v1/ingest/"
                + deviceOf(socket)
                + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + BODY.length()
                + "\r\n\r\n"
                + BODY)
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return HttpFixture.readResponse(socket.getInputStream());
  }

  private static String deviceOf(SSLSocket socket) {
    String dn =
        ((java.security.cert.X509Certificate) socket.getSession().getLocalCertificates()[0])
            .getSubjectX500Principal()
            .getName();
    return dn.substring("CN=".length());
  }

  /** Whether the peer closed (EOF or a reset) before {@code timeout}. */
  private static boolean closedWithin(SSLSocket socket, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    InputStream in = socket.getInputStream();
    try {
      return in.read() == -1;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException closed) {
      return true;
    }
  }

  /** A request on {@code socket} fails: the handshake or the first read does. */
  private static boolean refused(SSLSocket socket) {
    try {
      socket.startHandshake();
      HttpFixture.RawResponse answer = post(socket);
      return answer == null;
    } catch (IOException expected) {
      return true;
    }
  }
}
