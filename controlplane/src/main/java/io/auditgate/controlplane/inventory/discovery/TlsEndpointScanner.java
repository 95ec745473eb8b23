package io.auditgate.controlplane.inventory.discovery;

import io.auditgate.certs.x509.CertificateFacts;
import io.auditgate.controlplane.internal.inventory.EndpointScanLog;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.store.StoreOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Connects to a TLS endpoint, completes a handshake whatever chain it presents, and records the
 * chain (with protocol and cipher suite) in the inventory as an {@code endpoint} sighting. Trust is
 * not decided here: the inventory validates the chain against the configured anchors like any
 * other. Nothing is sent after the handshake. Every scan, failed ones included, is kept as the
 * endpoint's last scan ({@code certificate_endpoint_scans}).
 *
 * <p>Thread-safe; {@link #scan} blocks for at most about twice the timeout (connect, then
 * handshake).
 */
public final class TlsEndpointScanner {
  private final CertificateInventory inventory;
  private final EndpointScanLog log;
  private final Clock clock;
  private final Duration timeout;

  public TlsEndpointScanner(
      CertificateInventory inventory, StoreOptions store, Clock clock, Duration timeout) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.log = new EndpointScanLog(Objects.requireNonNull(store, "store"));
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.toMillis() < 1 || timeout.toSeconds() > 300) {
      throw new IllegalArgumentException("timeout must be 1 ms..300 s, got " + timeout);
    }
  }

  /** Scans one endpoint, records what it presented (or why it failed) and returns the outcome. */
  public ScanResult scan(TlsEndpoint endpoint) {
    Objects.requireNonNull(endpoint, "endpoint");
    Handshake handshake = handshake(endpoint);
    if (handshake.result() instanceof ScanResult.Scanned s) {
      inventory.record(handshake.chain(), sighting(endpoint, s));
    }
    log.record(handshake.result());
    return handshake.result();
  }

  /** What a handshake gave: the outcome and, when it succeeded, the chain itself. */
  private record Handshake(ScanResult result, List<X509Certificate> chain) {
    static Handshake failed(ScanResult.Failed failed) {
      return new Handshake(failed, List.of());
    }
  }

  private Sighting sighting(TlsEndpoint endpoint, ScanResult.Scanned s) {
    return new Sighting(
        SourceKind.ENDPOINT,
        endpoint.toString(),
        Optional.empty(),
        s.at(),
        Map.of("protocol", s.protocol(), "cipher_suite", s.cipherSuite()));
  }

  private Handshake handshake(TlsEndpoint endpoint) {
    Instant at = clock.instant();
    AtomicReference<X509Certificate[]> captured = new AtomicReference<>();
    int millis = (int) Math.max(1, timeout.toMillis());
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), millis);
      plain.setSoTimeout(millis);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new Recording(captured)}, null);
      try (SSLSocket socket =
          (SSLSocket)
              context
                  .getSocketFactory()
                  .createSocket(plain, endpoint.host(), endpoint.port(), false)) {
        SSLParameters parameters = socket.getSSLParameters();
        if (!isIpLiteral(endpoint.host())) {
          parameters.setServerNames(List.of(new SNIHostName(endpoint.host())));
        }
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        SSLSession session = socket.getSession();
        X509Certificate[] chain = captured.get();
        if (chain == null || chain.length == 0) {
          return Handshake.failed(
              new ScanResult.Failed(
                  endpoint,
                  at,
                  ScanResult.Reason.NO_CERTIFICATE,
                  "the endpoint presented no certificate"));
        }
        List<X509Certificate> list = List.of(chain);
        List<String> shas = new ArrayList<>();
        for (X509Certificate c : list) {
          shas.add(CertificateFacts.of(c).sha256());
        }
        return new Handshake(
            new ScanResult.Scanned(
                endpoint,
                at,
                session.getProtocol(),
                session.getCipherSuite(),
                shas,
                chain[0].getNotAfter().toInstant()),
            list);
      }
    } catch (UnknownHostException e) {
      return Handshake.failed(
          new ScanResult.Failed(
              endpoint, at, ScanResult.Reason.UNKNOWN_HOST, "unknown host " + endpoint.host()));
    } catch (ConnectException e) {
      return Handshake.failed(
          new ScanResult.Failed(
              endpoint,
              at,
              ScanResult.Reason.REFUSED,
              "connection to " + endpoint + " refused: " + e.getMessage()));
    } catch (SocketTimeoutException e) {
      return Handshake.failed(
          new ScanResult.Failed(
              endpoint,
              at,
              ScanResult.Reason.TIMEOUT,
              endpoint + " did not answer within " + timeout));
    } catch (SSLException e) {
      return Handshake.failed(
          new ScanResult.Failed(
              endpoint,
              at,
              ScanResult.Reason.HANDSHAKE_FAILED,
              "TLS handshake with " + endpoint + " failed: " + e.getMessage()));
    } catch (IOException e) {
      return Handshake.failed(
          new ScanResult.Failed(endpoint, at, ScanResult.Reason.IO_ERROR, endpoint + ": " + e));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no TLS context", e);
    }
  }

  private static boolean isIpLiteral(String host) {
    return host.contains(":") || host.matches("^[0-9.]+$");
  }

  /**
   * Accepts any server chain and keeps it: the scanner records what is presented, it does not
   * protect a conversation (none follows the handshake).
   */
  private static final class Recording extends X509ExtendedTrustManager {
    private final AtomicReference<X509Certificate[]> captured;

    Recording(AtomicReference<X509Certificate[]> captured) {
      this.captured = captured;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      captured.set(chain.clone());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
      captured.set(chain.clone());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      captured.set(chain.clone());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("the scanner is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("the scanner is a client only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("the scanner is a client only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
