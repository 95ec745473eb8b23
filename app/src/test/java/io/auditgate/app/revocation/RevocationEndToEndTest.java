package io.auditgate.app.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import io.auditgate.testkit.Openssl;
import io.auditgate.web.WebRoutes;
import io.auditgate.web.WebServer;
import io.auditgate.web.tokens.ApiTokens;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Revocation end to end across a control plane and a gateway that share nothing but the CRL URL:
 * the control plane (store, CA, web server with /crl) revokes a device certificate; the gateway,
 * which fetches the CRL in the background, drops the device's open MQTT session within {@code
 * certificates.revocation.drop_sessions_within} and refuses its next handshake on MQTT and HTTPS.
 */
@Timeout(120)
class RevocationEndToEndTest {
  private static final Duration DROP_WITHIN = Duration.ofSeconds(2);

  @TempDir Path dir;
  private EmbeddedPostgres postgres;
  private ControlPlaneRevocation controlPlane;
  private ApiTokens tokens;
  private WebServer web;
  private Gateway gateway;
  private DevCertificateAuthority ca;
  private IssuedCertificate device;
  private IssuedCertificate good;

  @BeforeEach
  void start() throws Exception {
    Clock clock = Clock.systemUTC();
    postgres = EmbeddedPostgres.start(dir.resolve("pg"));
    StoreOptions store =
        StoreOptions.of(
            postgres.createDatabase("revocation"), postgres.user(), postgres.password());
    StoreSchema.migrate(store);
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    PemFiles server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(1))
            .writePem(dir.resolve("tls"), "server");

    controlPlane =
        ControlPlaneRevocation.start(
            store, ca, CertificateSource.none(), RevocationConfig.defaults(), clock);
    tokens = new ApiTokens(store, clock);
    web =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(
                SslContextBuilder.forServer(
                        server.certificateChain().toFile(), server.privateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .build()),
            WebRoutes.router(controlPlane.routes(), tokens));
    web.start();

    TlsConfig tls =
        TlsConfig.of(server.certificateChain(), server.privateKey(), ca.rootCertificateFile())
            .withClientAuth(TlsConfig.ClientAuth.REQUIRE);
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-revocation", dir.resolve("data")))
            .withTls(tls)
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withDispatch(DispatchConfig.logOnly())
            .withCertificates(
                CertificatesConfig.defaults()
                    .withRevocation(
                        RevocationConfig.defaults()
                            .withCrlUrl(web.baseUrl() + "/crl/issuing-ca.crl")
                            .withDropSessionsWithin(DROP_WITHIN)));
    gateway = Gateway.start(config, clock);
    device = ca.issueDevice("b-l475e-0001", Validity.days(30));
    good = ca.issueDevice("b-l475e-0002", Validity.days(30));
  }

  @AfterEach
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {gateway, web, tokens, controlPlane, postgres}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort: the next resource still closes
      }
    }
  }

  @Test
  void aRevokedDeviceIsDroppedWithinTheConfiguredTimeAndRefusedAtTheNextHandshake()
      throws Exception {
    CompletableFuture<Throwable> dropped = new CompletableFuture<>();
    Mqtt5BlockingClient client = client(device, dropped);
    client.connect();
    client
        .publishWith()
        .topic("devices/b-l475e-0001/telemetry")
        .qos(MqttQos.AT_LEAST_ONCE)
        .payload("{\"metrics\":{\"t\":21.5}}".getBytes(StandardCharsets.UTF_8))
        .send();

    long revokedAt = System.nanoTime();
    RevokeOutcome outcome =
        controlPlane
            .revocations()
            .revoke(
                new RevokeRequest(
                    new RevocationTarget.Certificate(device.certificate()),
                    "keyCompromise",
                    "e2e",
                    Optional.of("lost")));
    assertThat(outcome).isInstanceOf(RevokeOutcome.Revoked.class);

    dropped.get(15, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - revokedAt);
    // drop_sessions_within bounds refresh + sweep; the slack is for a loaded, shared machine.
    assertThat(took).isLessThan(DROP_WITHIN.plusSeconds(2));
    assertThat(gateway.revocationMetrics().sessions().dropped()).containsEntry("mqtt", 1L);

    Throwable again = catchThrowable(() -> client(device, new CompletableFuture<>()).connect());
    assertThat(again).as("the MQTT handshake refuses the revoked certificate").isNotNull();
    Mqtt5BlockingClient other = client(good, new CompletableFuture<>());
    other.connect();
    other.disconnect();
  }

  @Test
  void opensslSClientIsRefusedOnTheHttpsIngestListenerOnceTheCertificateIsRevoked()
      throws Exception {
    Openssl.requireVersion3(dir);
    device.writePem(dir, "revoked");
    good.writePem(dir, "good");
    Files.writeString(
        dir.resolve("issuing.pem"),
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(ca.issuingCertificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    controlPlane
        .revocations()
        .revoke(
            new RevokeRequest(
                new RevocationTarget.Certificate(device.certificate()),
                "superseded",
                "e2e",
                Optional.empty()));
    awaitCrlEntries(1);
    String address = "127.0.0.1:" + gateway.httpAddress().getPort();

    Openssl.Run refused = sClient(address, "revoked");
    Openssl.Run accepted = sClient(address, "good");

    assertThat(refused.output())
        .as(refused.output())
        .contains("alert certificate unknown")
        .doesNotContain("CONNECTION ESTABLISHED");
    assertThat(accepted.output()).as(accepted.output()).contains("CONNECTION ESTABLISHED");
  }

  /** Waits until the gateway enforces a CRL with at least {@code entries} entries. */
  private void awaitCrlEntries(int entries) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (gateway.revocationMetrics().loaded().map(l -> l.entries()).orElse(-1) < entries) {
      assertThat(System.nanoTime()).as("the gateway fetched the CRL in time").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private Openssl.Run sClient(String address, String name) {
    // TLS 1.2, so the client certificate is judged inside the handshake openssl reports on.
    return Openssl.run(
        dir,
        "s_client",
        "-connect",
        address,
        "-tls1_2",
        "-brief",
        "-servername",
        "localhost",
        "-CAfile",
        ca.rootCertificateFile().toString(),
        "-cert",
        name + ".crt",
        "-key",
        name + ".key",
        "-cert_chain",
        "issuing.pem");
  }

  private Mqtt5BlockingClient client(
      IssuedCertificate certificate, CompletableFuture<Throwable> disconnected) throws Exception {
    char[] password = "changeit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "device",
        certificate.privateKey(),
        password,
        certificate.chain().toArray(X509Certificate[]::new));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(certificate.certificate().getSubjectX500Principal().getName().substring(3))
        .serverHost("localhost")
        .serverPort(gateway.mqttAddress().getPort())
        .sslConfig()
        .keyManagerFactory(kmf)
        .trustManagerFactory(tmf)
        .applySslConfig()
        .addDisconnectedListener(context -> disconnected.complete(context.getCause()))
        .buildBlocking();
  }
}
