package io.auditgate.sim;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import io.auditgate.certs.DeviceCsr;
import io.auditgate.certs.KeyAlgorithm;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated device that renews its certificate when the gateway tells it to: connected over MQTT
 * with its certificate ({@code <dir>/<id>.crt}, chain, and {@code <dir>/<id>.key}, PKCS#8), it
 * subscribes to {@code devices/<id>/commands/#}; on {@code devices/<id>/commands/reenroll} it makes
 * a new ECDSA P-256 key and CSR, calls EST {@code simplereenroll} presenting its current
 * certificate, writes the new certificate and key over the old files (each replaced atomically),
 * and reconnects with them.
 *
 * <p>The EST address is the one given at start, never one from the command: a command cannot send
 * the device's CSR and current identity elsewhere.
 *
 * <p>Thread-safety: thread-safe. Renewal runs on the device's own thread, never on the MQTT
 * client's event loop; {@link #publish} and {@link #close} block for at most their timeouts.
 */
public final class RenewingDevice implements AutoCloseable {
  /** The command (topic suffix) that asks for a renewal. */
  public static final String REENROLL_COMMAND = "reenroll";

  private static final Logger log = LoggerFactory.getLogger(RenewingDevice.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final String deviceId;
  private final Path certificateFile;
  private final Path keyFile;
  private final SimulationPlan.Endpoint mqtt;
  private final URI est;
  private final TrustManagerFactory estTrust;
  private final ExecutorService worker;
  private final AtomicReference<CompletableFuture<X509Certificate>> nextRenewal =
      new AtomicReference<>(new CompletableFuture<>());
  private volatile Mqtt5AsyncClient client;

  private RenewingDevice(
      String deviceId,
      Path credentials,
      SimulationPlan.Endpoint mqtt,
      URI est,
      TrustManagerFactory estTrust) {
    this.deviceId = deviceId;
    this.certificateFile = credentials.resolve(deviceId + ".crt");
    this.keyFile = credentials.resolve(deviceId + ".key");
    this.mqtt = mqtt;
    this.est = est;
    this.estTrust = estTrust;
    this.worker =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "renewing-device-" + deviceId);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Connects {@code deviceId} with the certificate in {@code credentials} and subscribes to its
   * commands. Blocks until subscribed (at most 15 s).
   *
   * @param mqtt the gateway's MQTT listener (TLS)
   * @param est the EST base, e.g. {@code https://host:port/.well-known/est}
   * @param estTrust the anchors the EST server's certificate must chain to
   * @throws SimulationException if the device cannot connect or subscribe
   */
  public static RenewingDevice start(
      String deviceId,
      Path credentials,
      SimulationPlan.Endpoint mqtt,
      URI est,
      TrustManagerFactory estTrust) {
    Objects.requireNonNull(mqtt.tls().orElse(null), "the MQTT endpoint must use TLS");
    RenewingDevice device = new RenewingDevice(deviceId, credentials, mqtt, est, estTrust);
    try {
      device.client = device.connectAndSubscribe();
    } catch (RuntimeException e) {
      device.worker.shutdownNow();
      throw e;
    }
    return device;
  }

  /**
   * Completes with the new certificate after the next renewal has reconnected; fails if it fails.
   */
  public CompletableFuture<X509Certificate> nextRenewal() {
    return nextRenewal.get();
  }

  /** The certificate in the device's certificate file (the one its connection presents). */
  public X509Certificate currentCertificate() {
    return (X509Certificate) readChain().get(0);
  }

  /**
   * Publishes {@code telemetry} at QoS 1 to {@code devices/<id>/telemetry}.
   *
   * @return whether the gateway acknowledged it with a success code within 15 s
   */
  public boolean publish(byte[] telemetry) {
    try {
      Mqtt5PublishResult result =
          client
              .publish(
                  Mqtt5Publish.builder()
                      .topic(SimulationPlan.telemetryTopic(deviceId))
                      .qos(MqttQos.AT_LEAST_ONCE)
                      .payload(telemetry)
                      .build())
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return result.getError().isEmpty()
          && !(result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
              && qos1.getPubAck().getReasonCode().isError());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
    try {
      client.disconnect().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      log.debug("{}: disconnect failed: {}", deviceId, e.toString());
    }
  }

  private Mqtt5AsyncClient connectAndSubscribe() {
    Mqtt5AsyncClient next =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier(deviceId)
            .serverHost(mqtt.host())
            .serverPort(mqtt.port())
            .sslConfig(
                MqttClientSslConfig.builder()
                    .trustManagerFactory(mqtt.tls().orElseThrow())
                    .keyManagerFactory(PemCredentials.keyManagerFactory(certificateFile, keyFile))
                    .build())
            .buildAsync();
    try {
      next.connectWith()
          .cleanStart(true)
          .keepAlive(30)
          .send()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      next.subscribeWith()
          .topicFilter("devices/" + deviceId + "/commands/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(this::onCommand)
          .send()
          .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulationException(deviceId + ": interrupted while connecting", e);
    } catch (Exception e) {
      throw new SimulationException(
          deviceId + ": cannot connect to " + mqtt.host() + ":" + mqtt.port() + ": " + e, e);
    }
  }

  private void onCommand(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    if (!topic.equals("devices/" + deviceId + "/commands/" + REENROLL_COMMAND)) {
      log.debug("{}: ignoring command {}", deviceId, topic);
      return;
    }
    // Off the MQTT event loop: renewal blocks on HTTPS and on reconnecting this very client.
    worker.execute(this::renew);
  }

  private void renew() {
    CompletableFuture<X509Certificate> done = nextRenewal.getAndSet(new CompletableFuture<>());
    try {
      KeyPair keys = KeyAlgorithm.EC_P256.generate(new SecureRandom());
      List<Certificate> current = readChain();
      X509Certificate issued = simpleReenroll(DeviceCsr.create(deviceId, keys));
      List<Certificate> chain = new ArrayList<>();
      chain.add(issued);
      // The issuing CA stays what it was; keep the rest of the current chain.
      chain.addAll(current.subList(1, current.size()));
      // Key first: a crash in between leaves a new key with the old certificate, which fails to
      // load loudly, rather than the reverse, which would look fine and fail the TLS handshake.
      replace(keyFile, pkcs8Pem(keys), true);
      replace(certificateFile, certificatesPem(chain), false);
      Mqtt5AsyncClient old = client;
      old.disconnect().handle((ok, error) -> null).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      client = connectAndSubscribe();
      log.info(
          "{}: renewed its certificate (serial {}) and reconnected",
          deviceId,
          issued.getSerialNumber().toString(16));
      done.complete(issued);
    } catch (Exception e) {
      log.warn("{}: renewal failed: {}", deviceId, e.toString());
      done.completeExceptionally(e);
    }
  }

  private X509Certificate simpleReenroll(byte[] csr) throws Exception {
    KeyManagerFactory identity = PemCredentials.keyManagerFactory(certificateFile, keyFile);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(identity.getKeyManagers(), estTrust.getTrustManagers(), null);
    HttpClient http = HttpClient.newBuilder().sslContext(tls).connectTimeout(TIMEOUT).build();
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(est + "/simplereenroll"))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/pkcs10")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Base64.getMimeEncoder().encode(csr)))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new SimulationException(
          deviceId
              + ": simplereenroll answered "
              + response.statusCode()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8).strip(),
          null);
    }
    byte[] pkcs7 = Base64.getMimeDecoder().decode(response.body());
    for (Certificate c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pkcs7))) {
      return (X509Certificate) c;
    }
    throw new SimulationException(deviceId + ": simplereenroll answered no certificate", null);
  }

  private List<Certificate> readChain() {
    try (InputStream in = Files.newInputStream(certificateFile)) {
      return List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (IOException | GeneralSecurityException e) {
      throw new UnableToLoadCredentialsException(certificateFile, e.toString(), e);
    }
  }

  private static String pkcs8Pem(KeyPair keys) {
    return "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'})
            .encodeToString(keys.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
  }

  private static String certificatesPem(List<Certificate> chain) throws GeneralSecurityException {
    StringBuilder out = new StringBuilder();
    for (Certificate c : chain) {
      out.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return out.toString();
  }

  /** Write a temporary file next to {@code file}, then rename it over {@code file}. */
  private static void replace(Path file, String content, boolean secret) throws IOException {
    Path temp = Files.createTempFile(file.toAbsolutePath().getParent(), ".renew-", ".tmp");
    try {
      if (secret) {
        try {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // Not a POSIX file system: the directory's protection has to do.
        }
      }
      Files.writeString(temp, content, StandardCharsets.US_ASCII);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
