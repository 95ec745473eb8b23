package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.ingest.DeviceAuthenticator;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/** A started listener on a loopback port, over a {@link WalBackedIngest} in a temp directory. */
final class Harness implements AutoCloseable {
  final WalBackedIngest ingest;
  final MqttListener listener;
  final InetSocketAddress address;

  private Harness(WalBackedIngest ingest, MqttListener listener) {
    this.ingest = ingest;
    this.listener = listener;
    this.address = listener.start();
  }

  /** The test configuration: loopback, a free port, plaintext, defaults otherwise. */
  static Settings settings() {
    return new Settings();
  }

  static Harness plaintext(Path dir) {
    return settings().start(dir);
  }

  static Harness start(
      Path dir,
      MqttConfig config,
      Optional<SslContext> tls,
      DeviceAuthenticator authenticator,
      Clock clock) {
    WalBackedIngest ingest = new WalBackedIngest(dir.resolve("wal"));
    try {
      MqttListener listener =
          new MqttListener(config, tls, authenticator, ingest, clock, "gw-test");
      return new Harness(ingest, listener);
    } catch (RuntimeException e) {
      ingest.close();
      throw e;
    }
  }

  String tcp() {
    return "tcp://127.0.0.1:" + address.getPort();
  }

  String ssl() {
    return "ssl://127.0.0.1:" + address.getPort();
  }

  RawClient raw() throws IOException {
    return new RawClient(address);
  }

  /** A raw connection that completed CONNECT as {@code device} (password secret-N). */
  RawClient connected(int level, String device, int keepAlive) throws IOException {
    RawClient client = raw();
    client.send(Packets.connect(level, device, device, password(device), keepAlive));
    RawClient.Packet connAck = client.read();
    assertThat(connAck.type()).isEqualTo(Packets.CONNACK);
    assertThat(connAck.at(1)).as("CONNACK return code").isZero();
    return client;
  }

  static String password(String device) {
    return "secret-" + device.substring(device.lastIndexOf('-') + 1);
  }

  MqttMetrics metrics() {
    return listener.metrics();
  }

  /** Waits until the listener's counters satisfy {@code condition}. */
  MqttMetrics awaitMetrics(String what, Predicate<MqttMetrics> condition) {
    await(what, Duration.ofSeconds(10), () -> condition.test(metrics()));
    return metrics();
  }

  @Override
  public void close() {
    try {
      listener.stop();
    } finally {
      ingest.close();
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for " + what);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  /** The listener's settings for one test; unset fields keep the defaults. */
  static final class Settings {
    private boolean plaintext = true;
    private DataSize maxPacketSize;
    private Integer maxConnections;
    private Integer maxConnectionsPerSecond;
    private Integer receiveMaximum;
    private Duration connectTimeout;
    private Integer maxViolations;
    private Duration maxSessionExpiry;
    private DeviceAuthenticator authenticator = FixedAuthenticator.devices();
    private Clock clock = Clock.systemUTC();

    Settings tls() {
      plaintext = false;
      return this;
    }

    Settings maxPacketSize(DataSize size) {
      maxPacketSize = size;
      return this;
    }

    Settings maxConnections(int max) {
      maxConnections = max;
      return this;
    }

    Settings maxConnectionsPerSecond(int max) {
      maxConnectionsPerSecond = max;
      return this;
    }

    Settings receiveMaximum(int max) {
      receiveMaximum = max;
      return this;
    }

    Settings connectTimeout(Duration timeout) {
      connectTimeout = timeout;
      return this;
    }

    Settings maxViolations(int max) {
      maxViolations = max;
      return this;
    }

    Settings maxSessionExpiry(Duration expiry) {
      maxSessionExpiry = expiry;
      return this;
    }

    Settings authenticator(DeviceAuthenticator authenticator) {
      this.authenticator = authenticator;
      return this;
    }

    Settings clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    MqttConfig config() {
      return new MqttConfig(
          "127.0.0.1",
          0,
          plaintext,
          maxPacketSize,
          maxConnections,
          maxConnectionsPerSecond,
          receiveMaximum,
          connectTimeout,
          maxViolations,
          maxSessionExpiry);
    }

    Harness start(Path dir) {
      return Harness.start(dir, config(), Optional.empty(), authenticator, clock);
    }

    Harness start(Path dir, SslContext tls) {
      return Harness.start(dir, config(), Optional.of(tls), authenticator, clock);
    }
  }
}
