package io.auditgate.web;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real test PKI, made once per JVM: a CA and a server certificate for localhost/127.0.0.1, the
 * server's Netty context and a client context that trusts only that CA (hostname checked).
 */
public final class TestTls {
  private static TestTls instance;

  private final Path dir;
  private final PemFiles server;
  private final X509Certificate root;
  private final Path rootFile;

  private TestTls(Path dir, PemFiles server, X509Certificate root, Path rootFile) {
    this.dir = dir;
    this.server = server;
    this.root = root;
    this.rootFile = rootFile;
  }

  public static synchronized TestTls get() {
    if (instance == null) {
      try {
        Path dir = Files.createTempDirectory("auditgate-web-test-pki");
        DevCertificateAuthority ca =
            DevCertificateAuthority.create(
                dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
        PemFiles server =
            ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
                .writePem(dir.resolve("tls"), "server");
        instance = new TestTls(dir, server, ca.rootCertificate(), ca.rootCertificateFile());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  public PemFiles serverFiles() {
    return server;
  }

  public Path rootCertificateFile() {
    return rootFile;
  }

  public Path directory() {
    return dir;
  }

  public SslContext serverContext() {
    try {
      return SslContextBuilder.forServer(
              server.certificateChain().toFile(), server.privateKey().toFile())
          .sslProvider(SslProvider.JDK)
          .protocols("TLSv1.3", "TLSv1.2")
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public SSLContext clientContext() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("root", root);
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
