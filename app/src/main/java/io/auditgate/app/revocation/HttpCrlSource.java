package io.auditgate.app.revocation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Fetches the CRL from the control plane's {@code GET /crl/<name>.crl}. For https the server must
 * chain to the given PEM anchors (hostname checked by the JDK); a CRL larger than 64 MiB or an
 * answer other than 200 is an error.
 *
 * <p>Thread-safety: thread-safe; {@link #fetch()} blocks for at most the timeouts.
 */
public final class HttpCrlSource implements CrlSource {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_BYTES = 64 * 1024 * 1024;

  private final URI url;
  private final HttpClient client;

  /**
   * @param trustAnchors PEM file of the CAs the control plane's server certificate chains to;
   *     required for https
   */
  public HttpCrlSource(URI url, Optional<Path> trustAnchors) {
    this.url = url;
    HttpClient.Builder builder =
        HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
    if ("https".equalsIgnoreCase(url.getScheme())) {
      builder.sslContext(
          trusting(
              trustAnchors.orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          "an https crl_url needs trust anchors: set certificates.revocation.crl_trust_file"
                              + " or tls.client_ca_bundle"))));
    }
    this.client = builder.build();
  }

  @Override
  public byte[] fetch() throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while fetching " + url, e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(url + " answered " + response.statusCode());
    }
    if (response.body().length == 0 || response.body().length > MAX_BYTES) {
      throw new IOException(url + " sent " + response.body().length + " bytes, not a CRL");
    }
    return response.body();
  }

  private static SSLContext trusting(Path pem) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      int i = 0;
      for (Certificate c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(pem)))) {
        anchors.setCertificateEntry("anchor-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException(pem + " holds no PEM certificate");
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read trust anchors from " + pem + ": " + e, e);
    }
  }
}
