package io.auditgate.ingest.tls;

import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.ingest.auth.RevocationCheck;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds the TLS context of a listener (MQTT or HTTPS) from its {@link TlsConfig}: the JDK's TLS
 * stack through Netty, TLS 1.3 and 1.2 only, AEAD suites with ephemeral key exchange only, and the
 * client-certificate policy the configuration asks for. The JDK provider (not OpenSSL/tcnative) so
 * the gateway has no native dependency and behaves the same everywhere.
 *
 * <p>Client certificates are checked against {@code client_ca_bundle} by the JDK's PKIX trust
 * manager (chain, validity, EKU clientAuth) during the handshake; the device authenticator then
 * maps the certificate to a device and applies bindings and revocation.
 */
public final class ServerTlsContexts {
  private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");

  private ServerTlsContexts() {}

  /**
   * Reads the files the configuration names and builds the context.
   *
   * @throws ConfigException naming the key whose file cannot be used (relative to the TLS section;
   *     the caller places it with {@link ConfigException#under})
   */
  public static SslContext build(TlsConfig config) {
    return build(config, RevocationCheck.none());
  }

  /**
   * Like {@link #build(TlsConfig)}, and client certificates {@code revocation} says are revoked
   * fail the handshake ({@link RevocationTrustManager}).
   */
  public static SslContext build(TlsConfig config, RevocationCheck revocation) {
    Optional<char[]> password =
        config.optionalPrivateKeyPasswordFile().map(ServerTlsContexts::readPassword);
    KeyMaterial key;
    try {
      key = KeyMaterial.read(config.certificateChain(), config.privateKey(), password);
    } catch (UnableToLoadTlsMaterialException e) {
      throw new ConfigException(
          e.file().equals(config.certificateChain()) ? "certificate_chain" : "private_key",
          e.getMessage());
    }
    List<X509Certificate> clientCas = List.of();
    if (config.clientAuth() != TlsConfig.ClientAuth.NONE) {
      try {
        clientCas = PemReader.readCertificates(config.clientCaBundle());
      } catch (UnableToLoadTlsMaterialException e) {
        throw new ConfigException("client_ca_bundle", e.getMessage());
      }
    }
    return build(config, key, clientCas, revocation);
  }

  /**
   * Builds the context from key material and trusted client CAs already in memory; the file fields
   * of {@code config} are not read.
   *
   * @param clientCas trust anchors for client certificates; unused when client_auth is none
   */
  public static SslContext build(
      TlsConfig config, KeyMaterial key, List<X509Certificate> clientCas) {
    return build(config, key, clientCas, RevocationCheck.none());
  }

  /**
   * Like {@link #build(TlsConfig, KeyMaterial, List)}, refusing revoked client certificates at the
   * handshake.
   */
  public static SslContext build(
      TlsConfig config,
      KeyMaterial key,
      List<X509Certificate> clientCas,
      RevocationCheck revocation) {
    SslContextBuilder builder =
        SslContextBuilder.forServer(key.privateKey(), key.chain())
            .sslProvider(SslProvider.JDK)
            .protocols(config.protocols())
            // Drops suites this JDK lacks; the policy check below fails if none remain.
            .ciphers(config.cipherSuites(), SupportedCipherSuiteFilter.INSTANCE)
            .clientAuth(toNetty(config.clientAuth()));
    if (config.clientAuth() != TlsConfig.ClientAuth.NONE) {
      if (clientCas.isEmpty()) {
        throw new ConfigException("client_ca_bundle", "holds no certificate");
      }
      builder.trustManager(trustManager(clientCas, revocation));
    }
    SslContext context;
    try {
      context = builder.build();
    } catch (SSLException e) {
      throw new ConfigException(
          "certificate_chain", "cannot build a TLS context from it: " + e.getMessage());
    }
    enforcePolicy(context);
    return context;
  }

  /**
   * Checks what the JDK actually enables, not just what was asked for: a JDK or Netty default must
   * never widen the policy unnoticed.
   */
  private static void enforcePolicy(SslContext context) {
    SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);
    for (String protocol : engine.getEnabledProtocols()) {
      if (!ALLOWED_PROTOCOLS.contains(protocol)) {
        throw new ConfigException("protocols", "the JDK enabled " + protocol + " as well");
      }
    }
    List<String> suites = List.of(engine.getEnabledCipherSuites());
    if (suites.isEmpty()) {
      throw new ConfigException("cipher_suites", "none of them is supported by this JDK");
    }
    for (String suite : suites) {
      if (!TlsConfig.isAllowedCipherSuite(suite)) {
        throw new ConfigException("cipher_suites", "the JDK enabled " + suite + " as well");
      }
    }
  }

  /** The JDK's PKIX trust manager over {@code clientCas}, wrapped to refuse revoked leaves. */
  private static RevocationTrustManager trustManager(
      List<X509Certificate> clientCas, RevocationCheck revocation) {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      for (int i = 0; i < clientCas.size(); i++) {
        anchors.setCertificateEntry("client-ca-" + i, clientCas.get(i));
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(anchors);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509ExtendedTrustManager x509) {
          return new RevocationTrustManager(x509, revocation);
        }
      }
      throw new ConfigException("client_ca_bundle", "the JDK offers no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          "client_ca_bundle", "cannot build a trust manager from it: " + e.getMessage());
    }
  }

  private static ClientAuth toNetty(TlsConfig.ClientAuth mode) {
    return switch (mode) {
      case NONE -> ClientAuth.NONE;
      case OPTIONAL -> ClientAuth.OPTIONAL;
      case REQUIRE -> ClientAuth.REQUIRE;
    };
  }

  /** The first line of the file, without its line break: how secret files are usually written. */
  private static char[] readPassword(Path file) {
    try {
      String password =
          Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      if (password.isEmpty()) {
        throw new ConfigException("private_key_password_file", file + " is empty");
      }
      return password.toCharArray();
    } catch (IOException e) {
      throw new ConfigException(
          "private_key_password_file", "cannot read " + file + ": " + e.getMessage());
    }
  }
}
