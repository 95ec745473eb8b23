package io.auditgate.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.ingest.mqtt.CommandOutcome;
import io.auditgate.ingest.mqtt.CommandPublisher;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's {@code mosquitto_pub} and {@code mosquitto_sub} (libmosquitto, OpenSSL) against the
 * gateway's MQTT listener over TLS with client certificates, MQTT 3.1.1 and 5: a device's publish
 * is stored, a publish under another device's id is not, a client with neither certificate nor
 * credentials is refused, and a subscriber on its own commands receives a command.
 *
 * <p>The clients are a CI requirement ({@code apt-get install mosquitto-clients}): without them
 * these tests fail, they do not skip.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoClientsInteropTest {
  private static final String DEVICE = "b-l475e-0001";
  private static final String OTHER = "b-l475e-0002";
  private static final long CLIENT_SECONDS = 15;

  @TempDir Path dir;
  private TestPki pki;
  private Gateway gateway;

  /** What a client process printed and how it ended. */
  record Run(int exitCode, String output) {}

  @BeforeEach
  void start() {
    pki = TestPki.create(dir.resolve("pki"), List.of(DEVICE, OTHER));
    gateway =
        Gateway.start(
            AuditgateConfig.defaults()
                .withGateway(new GatewayConfig("gw-interop", dir.resolve("data")))
                .withTls(pki.serverTls())
                .withMqtt(
                    new MqttConfig("127.0.0.1", 0, null, null, null, null, null, null, null, null))
                .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
                .withDispatch(DispatchConfig.logOnly()),
            Clock.systemUTC());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void aDevicePublishWithItsCertificateIsStoredWithBothProtocolVersions() throws Exception {
    Run v311 = pub(DEVICE, "mqttv311", "devices/" + DEVICE + "/telemetry", 101, true);
    assertThat(v311.exitCode()).as("mosquitto_pub -V mqttv311: %s", v311.output()).isZero();
    Run v5 = pub(DEVICE, "mqttv5", "devices/" + DEVICE + "/telemetry", 102, true);
    assertThat(v5.exitCode()).as("mosquitto_pub -V mqttv5: %s", v5.output()).isZero();

    // mosquitto_pub -q 1 exits only after PUBACK, and PUBACK means durable: no waiting here.
    assertThat(TestPki.storedCounts(walDir()))
        .containsEntry(TestPki.key(DEVICE, 101), 1)
        .containsEntry(TestPki.key(DEVICE, 102), 1);
  }

  @Test
  void aPublishUnderAnotherDevicesIdIsNotStored() throws Exception {
    Run v5 = pub(DEVICE, "mqttv5", "devices/" + OTHER + "/telemetry", 201, true);
    Run v311 = pub(DEVICE, "mqttv311", "devices/" + OTHER + "/telemetry", 202, true);
    // A control message after both: the log is written in arrival order, so once the control is
    // in it, the refused ones would be too had they been accepted.
    Run control = pub(DEVICE, "mqttv5", "devices/" + DEVICE + "/telemetry", 203, true);
    assertThat(control.exitCode()).as("control publish: %s", control.output()).isZero();

    // With -d, mosquitto_pub prints the PUBACK's reason code: 135 is 0x87 not authorized.
    assertThat(v5.output())
        .as("mosquitto_pub -V mqttv5")
        .contains("received PUBACK (Mid: 1, RC:135)");
    // MQTT 3.1.1 has no negative PUBACK: the listener closes the connection [MQTT-3.3.5-2].
    assertThat(v311.output()).as("mosquitto_pub -V mqttv311").doesNotContain("received PUBACK");
    assertThat(v311.exitCode()).as("mosquitto_pub -V mqttv311: %s", v311.output()).isNotZero();
    assertThat(TestPki.storedCounts(walDir()))
        .containsEntry(TestPki.key(DEVICE, 203), 1)
        .doesNotContainKeys(
            TestPki.key(OTHER, 201),
            TestPki.key(DEVICE, 201),
            TestPki.key(OTHER, 202),
            TestPki.key(DEVICE, 202));
  }

  @Test
  void aClientWithNeitherCertificateNorCredentialsIsRefused() throws Exception {
    // TLS itself succeeds (client certificates are optional, for devices with passwords); the
    // CONNECT is refused: 3.1.1 CONNACK 5 not authorized, 5.0 CONNACK 0x87 (135).
    Map<String, String> connack = Map.of("mqttv311", "CONNACK (5)", "mqttv5", "CONNACK (135)");
    for (String version : List.of("mqttv311", "mqttv5")) {
      Run anonymous = pub(DEVICE, version, "devices/" + DEVICE + "/telemetry", 301, false);
      assertThat(anonymous.exitCode())
          .as("mosquitto_pub -V %s without certificate: %s", version, anonymous.output())
          .isNotZero();
      assertThat(anonymous.output())
          .as("mosquitto_pub -V %s without certificate", version)
          .contains("received " + connack.get(version))
          .doesNotContain("sending PUBLISH");
    }
    assertThat(TestPki.storedCounts(walDir())).doesNotContainKey(TestPki.key(DEVICE, 301));
  }

  @Test
  void aSubscriberOnItsOwnCommandsReceivesACommand() throws Exception {
    for (String version : List.of("mqttv311", "mqttv5")) {
      String payload = "{\"command\":\"reboot\",\"via\":\"" + version + "\"}";
      Path output = dir.resolve("sub-" + version + ".out");
      List<String> command = tlsArgs("mosquitto_sub", DEVICE, version, true);
      command.addAll(
          List.of(
              "-t",
              "devices/" + DEVICE + "/commands/#",
              "-C",
              "1",
              "-v",
              "-W",
              Long.toString(CLIENT_SECONDS)));
      Process sub =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      try {
        // The subscription is in place once a command finds it; until then the publisher says
        // NotConnected or NotSubscribed, so poll (bounded) instead of sleeping.
        CommandOutcome outcome = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLIENT_SECONDS);
        while (System.nanoTime() < deadline) {
          outcome =
              gateway
                  .commands()
                  .publish(
                      DEVICE,
                      "reboot",
                      payload.getBytes(StandardCharsets.UTF_8),
                      CommandPublisher.Qos.AT_LEAST_ONCE)
                  .toCompletableFuture()
                  .get(5, TimeUnit.SECONDS);
          if (!(outcome instanceof CommandOutcome.NotConnected
              || outcome instanceof CommandOutcome.NotSubscribed)) {
            break;
          }
          assertThat(sub.isAlive()).as("mosquitto_sub: %s", read(output)).isTrue();
          Thread.sleep(20);
        }
        assertThat(outcome)
            .as("command to mosquitto_sub -V %s (its output: %s)", version, read(output))
            .isEqualTo(new CommandOutcome.Acknowledged(1));
        assertThat(sub.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS)).isTrue();
        assertThat(sub.exitValue()).as("mosquitto_sub: %s", read(output)).isZero();
        // -d adds libmosquitto's packet log around the one line -v prints for the message.
        assertThat(read(output).lines())
            .contains("devices/" + DEVICE + "/commands/reboot " + payload);
      } finally {
        sub.destroyForcibly();
        sub.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private Path walDir() {
    return dir.resolve("data/wal");
  }

  private Run pub(String device, String version, String topic, long seq, boolean withCertificate)
      throws IOException, InterruptedException {
    List<String> command = tlsArgs("mosquitto_pub", device, version, withCertificate);
    command.addAll(
        List.of("-t", topic, "-m", new String(TestPki.telemetry(seq), StandardCharsets.UTF_8)));
    Path output = Files.createTempFile(dir, "pub", ".out");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    if (!process.waitFor(CLIENT_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
      throw new AssertionError(
          String.join(" ", command)
              + " did not end within "
              + CLIENT_SECONDS
              + " s: "
              + read(output));
    }
    return new Run(process.exitValue(), read(output));
  }

  private List<String> tlsArgs(String tool, String device, String version, boolean certificate) {
    List<String> command = new ArrayList<>();
    command.add(executable(tool));
    command.addAll(
        List.of(
            "-h",
            "localhost",
            "-p",
            Integer.toString(gateway.mqttAddress().getPort()),
            "-V",
            version,
            "-q",
            "1",
            "-i",
            device,
            "-d",
            "--cafile",
            pki.caCertificate.toString()));
    if (certificate) {
      command.addAll(
          List.of(
              "--cert", pki.certificate(device).toString(), "--key", pki.key(device).toString()));
    }
    return command;
  }

  /** The tool on PATH, or a failure that says how to install it (CI must have it). */
  private static String executable(String tool) {
    for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(
        tool
            + " not found on PATH: install Debian's mosquitto-clients"
            + " (apt-get install -y mosquitto-clients); this test does not skip without it");
  }

  private static String read(Path output) throws IOException {
    return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
  }
}
