package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.app.revocation.ControlPlaneRevocation;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.BindOutcome;
import io.auditgate.controlplane.inventory.BindingKind;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateInventoryConfig;
import io.auditgate.core.config.CertificateRenewalConfig;
import io.auditgate.core.config.CertificatesConfig;
import io.auditgate.core.config.EnrolmentConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.core.config.WebConfig;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.RenewingDevice;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.WebRoutes;
import io.auditgate.web.WebServer;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.Scope;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replacement end to end: a node (store, CA, EST, MQTT over mTLS) and a simulated device on its
 * first certificate. {@code POST /api/v1/certificates/{sha256}/replace} → the device is told over
 * MQTT to re-enrol, gets a new certificate over EST and reconnects with it → the listener sighting
 * confirms → the old certificate is revoked (in the CRL the gateway enforces) and unbound, the new
 * one bound → a fresh TLS handshake with the old certificate is refused, with the new one accepted.
 */
@Timeout(180)
class ReplacementEndToEndTest {
  private static final String DEVICE = "b-l475e-0077";

  @TempDir Path dir;

  @Test
  void aReplacementStartedThroughTheApiEndsWithTheOldCertificateRevokedAndTheNewOneBound()
      throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), List.of(DEVICE));
    Path oldCrt = Files.copy(pki.devices.resolve(DEVICE + ".crt"), dir.resolve("old.crt"));
    Path oldKey = Files.copy(pki.devices.resolve(DEVICE + ".key"), dir.resolve("old.key"));
    int crlPort;
    try (ServerSocket s = new ServerSocket(0)) {
      crlPort = s.getLocalPort();
    }
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-replace", dir.resolve("data")))
            .withTls(pki.serverTls())
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0))
            .withCertificates(
                CertificatesConfig.defaults()
                    .withEnrolment(
                        EnrolmentConfig.defaults()
                            .withEnabled(true)
                            .withCaDir(pki.root.resolve("ca")))
                    // The gateway enforces the CRL the control plane below publishes
                    // (fetched in the background, so it may start before the CRL is served).
                    .withRevocation(
                        RevocationConfig.defaults()
                            .withCrlUrl("https://localhost:" + crlPort + "/crl/issuing-ca.crl")
                            .withDropSessionsWithin(Duration.ofSeconds(2)))
                    .withInventory(
                        new CertificateInventoryConfig(
                            null, null, null, Duration.ofSeconds(1), null, null, null))
                    .withRenewal(
                        CertificateRenewalConfig.defaults()
                            .withIntervals(Duration.ofSeconds(1), Duration.ofSeconds(90))));

    try (Node node = Node.start(config, Clock.systemUTC());
        ControlPlaneRevocation controlPlane =
            ControlPlaneRevocation.start(
                node.storeOptions().orElseThrow(),
                DevCertificateAuthority.load(
                        pki.root.resolve("ca"), Optional.empty(), Clock.systemUTC())
                    .orElseThrow(),
                CertificateSource.none(),
                RevocationConfig.defaults(),
                Clock.systemUTC());
        ApiTokens crlTokens = new ApiTokens(node.storeOptions().orElseThrow(), Clock.systemUTC());
        WebServer crlServer =
            new WebServer(
                WebConfig.defaults().withBind("127.0.0.1", crlPort),
                Optional.of(
                    SslContextBuilder.forServer(
                            pki.serverCertificate.toFile(), pki.serverKey.toFile())
                        .sslProvider(SslProvider.JDK)
                        .build()),
                WebRoutes.router(controlPlane.routes(), crlTokens))) {
      crlServer.start();
      node.replacement().orElseThrow().useRevocations(controlPlane.revocations());
      Gateway gateway = node.gateway().orElseThrow();
      CertificateInventory inventory = node.certificates().orElseThrow().inventory();
      StoreOptions store = node.storeOptions().orElseThrow();
      TrustManagerFactory trust = PemCredentials.trustManagerFactory(pki.caCertificate);

      try (RenewingDevice device =
          RenewingDevice.start(
              DEVICE,
              pki.devices,
              Endpoint.tls("localhost", gateway.mqttAddress().getPort(), trust),
              URI.create(node.web().orElseThrow().baseUrl() + "/.well-known/est"),
              trust)) {
        X509Certificate old = device.currentCertificate();
        String oldSha = sha256(old);
        assertThat(device.publish(TestPki.telemetry(1))).isTrue();
        // The listener sighting puts the certificate in the inventory; the device row comes with
        // the telemetry. Then the old certificate is the device's bound one.
        await(
            "the old certificate is bound",
            () -> inventory.bind(oldSha, BindingKind.DEVICE, DEVICE) instanceof BindOutcome.Bound);
        var renewal = device.nextRenewal();

        String token;
        try (ApiTokens tokens = new ApiTokens(store, Clock.systemUTC())) {
          token = tokens.create("ops", Set.of(Scope.WRITE)).secret();
        }
        HttpClient http =
            HttpClient.newBuilder().sslContext(context(Optional.empty(), trust)).build();
        HttpResponse<String> started =
            http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            node.web().orElseThrow().baseUrl()
                                + "/api/v1/certificates/"
                                + oldSha
                                + "/replace"))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"key_rotation\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
        JsonNode outcome = new ObjectMapper().readTree(started.body());
        assertThat(outcome.get("outcome").asText()).isEqualTo("started");
        assertThat(outcome.get("request").asText()).isEqualTo("delivered");

        X509Certificate renewed = renewal.get(60, TimeUnit.SECONDS);
        String newSha = sha256(renewed);
        assertThat(device.publish(TestPki.telemetry(2))).isTrue();

        await(
            "the replacement completes",
            () ->
                inventory.detail(oldSha).orElseThrow().renewal().state() == RenewalState.COMPLETED);
        var detail = inventory.detail(oldSha).orElseThrow();
        assertThat(detail.renewal().replacementSha256()).contains(newSha);
        assertThat(detail.bindings()).isEmpty();
        assertThat(inventory.detail(newSha).orElseThrow().bindings())
            .anyMatch(b -> b.kind() == BindingKind.DEVICE && b.target().equals(DEVICE));
        assertThat(
                new CertificateEventLog(store)
                    .timeline(oldSha, 100).stream().map(CertificateEvent::kind).toList())
            .containsSubsequence(
                "replacement_started",
                "replacement_confirmed",
                "replacement_revoked",
                "replacement_rebound",
                "replacement_completed");

        X509CRL crl =
            (X509CRL)
                CertificateFactory.getInstance("X.509")
                    .generateCRL(
                        new ByteArrayInputStream(
                            controlPlane
                                .revocations()
                                .crl(controlPlane.revocations().crlName())
                                .orElseThrow()
                                .der()));
        assertThat(crl.getRevokedCertificate(old.getSerialNumber())).isNotNull();
        assertThat(crl.getRevokedCertificate(renewed.getSerialNumber())).isNull();

        await(
            "the gateway enforces the CRL",
            () -> gateway.revocationMetrics().loaded().map(l -> l.entries()).orElse(-1) >= 1);
        int https = gateway.httpAddress().getPort();
        Throwable refused =
            catchThrowable(
                () -> handshake(https, PemCredentials.keyManagerFactory(oldCrt, oldKey), trust));
        assertThat(refused).as("the old certificate is refused at a fresh handshake").isNotNull();
        handshake(
            https,
            PemCredentials.keyManagerFactory(
                pki.devices.resolve(DEVICE + ".crt"), pki.devices.resolve(DEVICE + ".key")),
            trust);
      }
    }
  }

  @Test
  void automaticRenewalReplacesACertificatePastItsRenewPointWithoutAnOperator() throws Exception {
    TestPki pki = TestPki.create(dir.resolve("pki"), List.of());
    DevCertificateAuthority ca =
        DevCertificateAuthority.load(pki.root.resolve("ca"), Optional.empty(), Clock.systemUTC())
            .orElseThrow();
    // 120 s of life, from 10 s ago: at half its lifetime (no jitter) it is due 50 s from now.
    ca.issueDevice(DEVICE, new Validity(Duration.ofSeconds(-10), Duration.ofSeconds(110)))
        .writePem(pki.devices, DEVICE);
    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-auto", dir.resolve("data")))
            .withTls(pki.serverTls())
            .withMqtt(
                new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withWeb(WebConfig.defaults().withBind("127.0.0.1", 0))
            .withCertificates(
                CertificatesConfig.defaults()
                    .withEnrolment(
                        EnrolmentConfig.defaults()
                            .withEnabled(true)
                            .withCaDir(pki.root.resolve("ca")))
                    .withInventory(
                        new CertificateInventoryConfig(
                            null, null, null, Duration.ofSeconds(1), null, null, null))
                    .withRenewal(
                        new CertificateRenewalConfig(
                            true, 0.5, 0.0, null, Duration.ofSeconds(1), Duration.ofSeconds(60))));

    try (Node node = Node.start(config, Clock.systemUTC());
        ControlPlaneRevocation controlPlane =
            ControlPlaneRevocation.start(
                node.storeOptions().orElseThrow(),
                ca,
                CertificateSource.none(),
                RevocationConfig.defaults(),
                Clock.systemUTC())) {
      node.replacement().orElseThrow().useRevocations(controlPlane.revocations());
      CertificateInventory inventory = node.certificates().orElseThrow().inventory();
      TrustManagerFactory trust = PemCredentials.trustManagerFactory(pki.caCertificate);
      try (RenewingDevice device =
          RenewingDevice.start(
              DEVICE,
              pki.devices,
              Endpoint.tls(
                  "localhost", node.gateway().orElseThrow().mqttAddress().getPort(), trust),
              URI.create(node.web().orElseThrow().baseUrl() + "/.well-known/est"),
              trust)) {
        X509Certificate old = device.currentCertificate();
        String oldSha = sha256(old);
        var renewal = device.nextRenewal();
        assertThat(device.publish(TestPki.telemetry(1))).isTrue();
        await("the certificate is in the inventory", () -> inventory.detail(oldSha).isPresent());
        assertThat(inventory.detail(oldSha).orElseThrow().renewal().state())
            .as("not due yet")
            .isEqualTo(RenewalState.NOT_STARTED);

        X509Certificate renewed;
        try {
          renewed = renewal.get(90, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          var d = inventory.detail(oldSha).orElseThrow();
          throw new AssertionError(
              "no renewal: "
                  + d.summary()
                  + " "
                  + d.renewal()
                  + " "
                  + d.renewalHistory()
                  + " "
                  + new CertificateEventLog(node.storeOptions().orElseThrow())
                      .timeline(oldSha, 50));
        }
        assertThat(device.publish(TestPki.telemetry(2))).isTrue();
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (inventory.detail(oldSha).orElseThrow().renewal().state() != RenewalState.COMPLETED) {
          if (System.nanoTime() > until) {
            var d = inventory.detail(oldSha).orElseThrow();
            throw new AssertionError(
                "not completed: "
                    + d.renewal()
                    + " "
                    + d.renewalHistory()
                    + " "
                    + new CertificateEventLog(node.storeOptions().orElseThrow())
                        .timeline(oldSha, 50)
                    + " new: "
                    + inventory
                        .detail(sha256(renewed))
                        .map(n -> n.summary() + " " + n.sightings()));
          }
          Thread.sleep(200);
        }
        var detail = inventory.detail(oldSha).orElseThrow();
        assertThat(detail.renewal().replacementSha256()).contains(sha256(renewed));
        assertThat(detail.renewalHistory().stream().map(c -> c.actor()).toList())
            .contains("auto-renewal", "replacement");
        assertThat(controlPlane.revocations().bySha256(oldSha)).isPresent();
        assertThat(controlPlane.revocations().bySha256(oldSha).orElseThrow().reason())
            .isEqualTo("superseded");
      }
    }
  }

  /** A TLS 1.2 handshake (the client certificate is judged inside it) plus one read. */
  private static void handshake(int port, KeyManagerFactory keys, TrustManagerFactory trust)
      throws Exception {
    SSLContext context = context(Optional.of(keys), trust);
    try (SSLSocket socket =
        (SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.setSoTimeout(5000);
      socket.startHandshake();
    }
  }

  private static SSLContext context(Optional<KeyManagerFactory> keys, TrustManagerFactory trust)
      throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        keys.map(KeyManagerFactory::getKeyManagers).orElse(null), trust.getTrustManagers(), null);
    return context;
  }

  private static void await(String what, Supplier<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as(what).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static String sha256(X509Certificate certificate) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
  }
}
