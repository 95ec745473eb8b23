package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.RevocationReason;
import io.auditgate.certs.RevokedSerial;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.ingest.tls.KeyMaterial;
import io.auditgate.ingest.tls.ServerTlsContexts;
import io.netty.handler.ssl.SslContext;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A development CA whose CRLs feed a {@link CrlRevocationCheck}, as the app wires it: the listener
 * refuses what the latest CRL lists. {@link #revoke} publishes a new CRL into the check.
 */
public final class RevocationPki {
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final DevCertificateAuthority ca;
  private final CrlRevocationCheck check = new CrlRevocationCheck(Optional.empty());
  private final List<RevokedSerial> revoked = new ArrayList<>();
  private final IssuedCertificate server;
  private BigInteger number = BigInteger.ZERO;

  public RevocationPki(Path dir) {
    ca =
        DevCertificateAuthority.create(
            dir, CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    server = ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(1));
    publish();
  }

  public DevCertificateAuthority ca() {
    return ca;
  }

  public CrlRevocationCheck check() {
    return check;
  }

  public IssuedCertificate device(String id) {
    return ca.issueDevice(id, Validity.days(1));
  }

  /** Revokes {@code device} and hands the new CRL to the check, as the app's refresher does. */
  public void revoke(IssuedCertificate device) {
    revoked.add(
        new RevokedSerial(
            device.certificate().getSerialNumber(),
            Clock.systemUTC().instant(),
            RevocationReason.KEY_COMPROMISE));
    publish();
  }

  private void publish() {
    number = number.add(BigInteger.ONE);
    byte[] der =
        ca.revocationAuthority()
            .crl(number, revoked, Clock.systemUTC().instant(), Duration.ofHours(1))
            .der();
    assertThat(check.update(der)).isEqualTo(CrlRevocationCheck.Update.LOADED);
  }

  /** A listener context requiring client certificates, refusing revoked ones at the handshake. */
  public SslContext serverContext() {
    TlsConfig config =
        new TlsConfig(
            Path.of("unused.crt"),
            Path.of("unused.key"),
            null,
            Path.of("unused-ca.crt"),
            TlsConfig.ClientAuth.REQUIRE,
            null,
            null);
    return ServerTlsContexts.build(
        config,
        new KeyMaterial(server.privateKey(), server.chain()),
        List.of(ca.rootCertificate()),
        check);
  }

  /** Client key and trust managers presenting {@code device} and trusting the root. */
  public KeyManagerFactory keyManagers(IssuedCertificate device) throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "device", device.privateKey(), PASSWORD, device.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(keys, PASSWORD);
    return factory;
  }

  public TrustManagerFactory trustManagers() throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    return factory;
  }

  public SSLContext clientContext(IssuedCertificate device) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers(device).getKeyManagers(), trustManagers().getTrustManagers(), null);
    return context;
  }
}
