package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationPlan.Fault;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boards with client certificates against a Mosquitto that requires them: valid certificates
 * connect and publish; an expired one and one from an unknown CA are refused in the handshake.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MutualTlsTest {
  @TempDir Path tmp;

  @Test
  void validCertificatesConnectAndExpiredOrUnknownOnesAreRefused() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "auditgate test CA");
    pki.server();
    Path devices = tmp.resolve("devices");
    for (int i = 1; i <= 3; i++) {
      pki.client(SimulationPlan.deviceId(i), devices);
    }
    Path bad = tmp.resolve("bad");
    Instant now = Instant.now();
    pki.client("expired", now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), bad);
    TestPki.create(tmp.resolve("rogue"), "rogue CA").client("unknown", bad);

    int tlsPort = MosquittoBroker.freePort();
    int plainPort = MosquittoBroker.freePort();
    Path pkiDir = tmp.resolve("pki");
    try (MosquittoBroker broker =
            MosquittoBroker.start(
                tmp.resolve("broker"),
                tlsPort,
                List.of(
                    "cafile " + pki.caCertificate(),
                    "certfile " + pkiDir.resolve("server.crt"),
                    "keyfile " + pkiDir.resolve("server.key"),
                    "require_certificate true",
                    "use_identity_as_username true",
                    // A plaintext listener for the test's own subscriber.
                    "listener " + plainPort + " 127.0.0.1"));
        Subscriber subscriber = new Subscriber(plainPort)) {
      SimulationPlan plan =
          new SimulationPlan(
                  3,
                  2,
                  Duration.ofSeconds(2),
                  1,
                  Endpoint.tls(
                      "127.0.0.1",
                      broker.port(),
                      PemCredentials.trustManagerFactory(pki.caCertificate())))
              .withCredentials(new Credentials.ClientCertificates(devices))
              .withFaults(
                  List.of(
                      new Fault.BadCertificate(
                          SimulationPlan.deviceId(2),
                          "expired",
                          bad.resolve("expired.crt"),
                          bad.resolve("expired.key")),
                      new Fault.BadCertificate(
                          SimulationPlan.deviceId(3),
                          "unknown_ca",
                          bad.resolve("unknown.crt"),
                          bad.resolve("unknown.key"))));

      SimulationReport report = new FleetSimulator(Clock.systemUTC(), 2).run(plan, p -> {});
      subscriber.awaitCount(4, Duration.ofSeconds(10));

      DeviceReport good = report.device(SimulationPlan.deviceId(1)).orElseThrow();
      assertThat(good.connects()).isEqualTo(1);
      assertThat(good.total()).isEqualTo(new Counts(4, 4, 0, 0));
      assertThat(subscriber.on(SimulationPlan.telemetryTopic(SimulationPlan.deviceId(1))))
          .hasSize(4);
      for (int i = 2; i <= 3; i++) {
        DeviceReport refused = report.device(SimulationPlan.deviceId(i)).orElseThrow();
        assertThat(refused.connects()).as(refused.deviceId()).isZero();
        assertThat(refused.connectFailures()).as(refused.deviceId()).isPositive();
        assertThat(refused.skipped().get(SkipReason.DISCONNECTED)).isEqualTo(4);
        assertThat(refused.total()).isEqualTo(Counts.ZERO);
      }
      assertThat(subscriber.messages()).hasSize(4);
    }
  }
}
