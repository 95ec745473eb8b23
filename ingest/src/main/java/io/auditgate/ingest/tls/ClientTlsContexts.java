package io.auditgate.ingest.tls;

import io.auditgate.core.config.TlsConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client TLS contexts for tests, the simulator and interop clients: trust the given CAs (and only
 * them, not the JDK's default trust store), optionally present a client certificate, and offer the
 * same protocols and suites the listeners accept.
 */
public final class ClientTlsContexts {
  /** The keystores below never leave memory; the password only satisfies the KeyStore API. */
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  private ClientTlsContexts() {}

  /** Trusts the CAs in a PEM bundle; presents no client certificate. */
  public static ClientTls build(Path caBundlePem) {
    return build(PemReader.readCertificates(caBundlePem), Optional.empty());
  }

  /**
   * Trusts the CAs in a PEM bundle and presents the client certificate chain and PKCS#8 key read
   * from PEM files.
   *
   * @throws UnableToLoadTlsMaterialException naming the file that cannot be used
   */
  public static ClientTls build(
      Path caBundlePem,
      Path certificateChainPem,
      Path privateKeyPem,
      Optional<char[]> privateKeyPassword) {
    return build(
        PemReader.readCertificates(caBundlePem),
        Optional.of(KeyMaterial.read(certificateChainPem, privateKeyPem, privateKeyPassword)));
  }

  /** Trusts {@code trustAnchors} and presents {@code clientCertificate} when given. */
  public static ClientTls build(
      List<X509Certificate> trustAnchors, Optional<KeyMaterial> clientCertificate) {
    if (trustAnchors.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one trusted CA");
    }
    try {
      TrustManagerFactory trust = trustManagers(trustAnchors);
      Optional<KeyManagerFactory> keys = clientCertificate.map(ClientTlsContexts::keyManagers);
      SSLContext jdk = SSLContext.getInstance("TLS");
      jdk.init(
          keys.map(KeyManagerFactory::getKeyManagers).orElse(null), trust.getTrustManagers(), null);
      SslContextBuilder netty =
          SslContextBuilder.forClient()
              .sslProvider(SslProvider.JDK)
              .trustManager(trust)
              .protocols(TlsConfig.DEFAULT_PROTOCOLS)
              .ciphers(TlsConfig.DEFAULT_CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
              .endpointIdentificationAlgorithm("HTTPS");
      keys.ifPresent(netty::keyManager);
      SslContext nettyContext = netty.build();
      return new ClientTls(nettyContext, jdk, trust, keys);
    } catch (SSLException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a client TLS context", e);
    }
  }

  private static TrustManagerFactory trustManagers(List<X509Certificate> anchors)
      throws GeneralSecurityException {
    KeyStore store = emptyStore();
    for (int i = 0; i < anchors.size(); i++) {
      store.setCertificateEntry("ca-" + i, anchors.get(i));
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory;
  }

  private static KeyManagerFactory keyManagers(KeyMaterial material) {
    try {
      KeyStore store = emptyStore();
      store.setKeyEntry(
          "client",
          material.privateKey(),
          IN_MEMORY,
          material.chain().toArray(X509Certificate[]::new));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY);
      return factory;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot hold the client key in a keystore", e);
    }
  }

  private static KeyStore emptyStore() throws GeneralSecurityException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      return store;
    } catch (IOException e) {
      throw new IllegalStateException("cannot create an in-memory keystore", e);
    }
  }
}
