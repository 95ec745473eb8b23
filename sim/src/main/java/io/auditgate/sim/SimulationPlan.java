package io.auditgate.sim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a simulation does: how many boards, how often each publishes, for how long, where to, with
 * which credentials, and which faults to inject.
 *
 * <p>Devices are named {@code b-l475e-0001}, {@code b-l475e-0002}, … and publish to {@code
 * devices/{id}/telemetry}. Each publishes exactly {@link #messagesPerDevice()} readings, the k-th
 * one {@code k / messagesPerSecond} after the start plus an offset below one period that spreads
 * the fleet evenly; a rate of 0 keeps the connections open and idle for the duration.
 *
 * @param devices how many boards, 1 to 100000
 * @param messagesPerSecond per board, 0 (idle) to 1000
 * @param duration how long the boards publish, at most a day
 * @param qos 0 or 1
 * @param endpoint the MQTT listener
 * @param credentials how each board authenticates
 * @param faults what goes wrong, and when
 * @param seed every board's sensor model and the fleet's spread derive from it
 * @param firmwareVersion the firmware version the boards report
 * @param transport how the boards send their readings: MQTT 5 (the default) or HTTPS posts
 */
public record SimulationPlan(
    int devices,
    double messagesPerSecond,
    Duration duration,
    int qos,
    Endpoint endpoint,
    Credentials credentials,
    List<Fault> faults,
    long seed,
    String firmwareVersion,
    Transport transport) {

  /** Device ids are this prefix and a four-digit (or longer) number from 1. */
  public static final String DEVICE_ID_PREFIX = "b-l475e-";

  public SimulationPlan {
    check(devices >= 1 && devices <= 100_000, "devices must be 1..100000, got " + devices);
    check(
        messagesPerSecond >= 0 && messagesPerSecond <= 1000,
        "messagesPerSecond must be 0..1000, got " + messagesPerSecond);
    Objects.requireNonNull(duration, "duration");
    check(
        !duration.isNegative() && !duration.isZero() && duration.compareTo(Duration.ofDays(1)) <= 0,
        "duration must be more than 0 and at most a day, got " + duration);
    check(qos == 0 || qos == 1, "qos must be 0 or 1, got " + qos);
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(credentials, "credentials");
    faults = List.copyOf(faults);
    Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    Objects.requireNonNull(transport, "transport");
    check(
        transport != Transport.HTTPS || endpoint.tls().isPresent(),
        "the HTTPS transport needs a TLS endpoint");
    check(
        !(credentials instanceof Credentials.ClientCertificates
                || credentials instanceof Credentials.KeyManagers)
            || endpoint.tls().isPresent(),
        "client certificates need a TLS endpoint");
    Set<String> ids = Set.copyOf(deviceIds(devices));
    for (Fault fault : faults) {
      fault
          .deviceId()
          .ifPresent(
              id -> check(ids.contains(id), "fault " + fault + " names unknown device " + id));
      fault
          .at()
          .ifPresent(
              at ->
                  check(
                      !at.isNegative() && at.compareTo(duration) < 0,
                      "fault " + fault + " starts outside the run of " + duration));
      check(
          !(fault instanceof Fault.BadCertificate) || endpoint.tls().isPresent(),
          "fault " + fault + " needs a TLS endpoint");
      check(
          !(fault instanceof Fault.ReconnectStorm) || transport == Transport.MQTT,
          "fault " + fault + " is about MQTT connections; HTTPS posts have none to drop");
    }
  }

  /** A plan over MQTT, as plans were before HTTPS existed. */
  public SimulationPlan(
      int devices,
      double messagesPerSecond,
      Duration duration,
      int qos,
      Endpoint endpoint,
      Credentials credentials,
      List<Fault> faults,
      long seed,
      String firmwareVersion) {
    this(
        devices,
        messagesPerSecond,
        duration,
        qos,
        endpoint,
        credentials,
        faults,
        seed,
        firmwareVersion,
        Transport.MQTT);
  }

  /** A plan with anonymous boards, no faults, seed 1 and firmware {@code 1.0.0}. */
  public SimulationPlan(
      int devices, double messagesPerSecond, Duration duration, int qos, Endpoint endpoint) {
    this(
        devices,
        messagesPerSecond,
        duration,
        qos,
        endpoint,
        Credentials.anonymous(),
        List.of(),
        1,
        "1.0.0");
  }

  /** The same plan with these faults. */
  public SimulationPlan withFaults(List<Fault> newFaults) {
    return new SimulationPlan(
        devices,
        messagesPerSecond,
        duration,
        qos,
        endpoint,
        credentials,
        newFaults,
        seed,
        firmwareVersion,
        transport);
  }

  /** The same plan with these credentials. */
  public SimulationPlan withCredentials(Credentials newCredentials) {
    return new SimulationPlan(
        devices,
        messagesPerSecond,
        duration,
        qos,
        endpoint,
        newCredentials,
        faults,
        seed,
        firmwareVersion,
        transport);
  }

  /** The same plan with another seed. */
  public SimulationPlan withSeed(long newSeed) {
    return new SimulationPlan(
        devices,
        messagesPerSecond,
        duration,
        qos,
        endpoint,
        credentials,
        faults,
        newSeed,
        firmwareVersion,
        transport);
  }

  /** The same plan over another transport. */
  public SimulationPlan withTransport(Transport newTransport) {
    return new SimulationPlan(
        devices,
        messagesPerSecond,
        duration,
        qos,
        endpoint,
        credentials,
        faults,
        seed,
        firmwareVersion,
        newTransport);
  }

  /** How many readings each board publishes: {@code floor(messagesPerSecond × duration)}. */
  public long messagesPerDevice() {
    return (long) Math.floor(messagesPerSecond * duration.toNanos() / 1e9);
  }

  /** The id of board {@code number} (1-based): {@code b-l475e-0001}. */
  public static String deviceId(int number) {
    return DEVICE_ID_PREFIX + String.format("%04d", number);
  }

  /** The topic a board publishes its telemetry to. */
  public static String telemetryTopic(String deviceId) {
    return "devices/" + deviceId + "/telemetry";
  }

  /** The HTTPS path a board posts its telemetry to. */
  public static String ingestPath(String deviceId) {
    return "/v1/ingest/" + deviceId;
  }

  /** Every board's id, in order. */
  public List<String> deviceIds() {
    return deviceIds(devices);
  }

  private static List<String> deviceIds(int devices) {
    List<String> ids = new ArrayList<>(devices);
    for (int i = 1; i <= devices; i++) {
      ids.add(deviceId(i));
    }
    return ids;
  }

  private static void check(boolean condition, String problem) {
    if (!condition) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** How the boards send their readings. */
  public enum Transport {
    /** MQTT 5: one connection per board, QoS 0 or 1; a reading is acknowledged by its PUBACK. */
    MQTT,
    /**
     * HTTPS: every reading is one {@code POST /v1/ingest/{id}} with a JSON body, authenticated by
     * the board's client certificate, or by its password as a bearer token; a reading is
     * acknowledged by 202 (stored durably), and every other answer or a failed connection counts as
     * failed, without a resend. The plan's QoS does not apply.
     */
    HTTPS
  }

  /**
   * The listener the boards connect to: the MQTT listener, or the HTTPS ingest listener.
   *
   * @param host host name or address
   * @param port TCP port
   * @param tls the trust anchors for the server's certificate when TLS is on; empty for plaintext
   */
  public record Endpoint(String host, int port, Optional<TrustManagerFactory> tls) {
    public Endpoint {
      Objects.requireNonNull(host, "host");
      check(port >= 1 && port <= 65535, "port must be 1..65535, got " + port);
      Objects.requireNonNull(tls, "tls");
    }

    public static Endpoint plaintext(String host, int port) {
      return new Endpoint(host, port, Optional.empty());
    }

    /** TLS, trusting {@code trust} (see {@link PemCredentials#trustManagerFactory}). */
    public static Endpoint tls(String host, int port, TrustManagerFactory trust) {
      return new Endpoint(host, port, Optional.of(trust));
    }
  }

  /** How each board authenticates. */
  public sealed interface Credentials {

    static Credentials anonymous() {
      return new Anonymous();
    }

    /** No credentials. */
    record Anonymous() implements Credentials {}

    /**
     * Username and password per board; the username is the device id.
     *
     * @param byDevice password by device id; a board without one connects anonymously
     */
    record Passwords(Map<String, String> byDevice) implements Credentials {
      public Passwords {
        byDevice = Map.copyOf(byDevice);
      }

      @Override
      public String toString() {
        return "Passwords[" + byDevice.size() + " devices]";
      }
    }

    /**
     * Client certificates from a directory: {@code {id}.crt} (PEM certificate, optionally followed
     * by its chain) and {@code {id}.key} (PEM PKCS#8 private key) per board. All are loaded before
     * the first board connects; a missing or unreadable file stops the run.
     */
    record ClientCertificates(Path directory) implements Credentials {
      public ClientCertificates {
        Objects.requireNonNull(directory, "directory");
      }
    }

    /** Key managers the caller built, by device id; every board needs one. */
    record KeyManagers(Map<String, KeyManagerFactory> byDevice) implements Credentials {
      public KeyManagers {
        byDevice = Map.copyOf(byDevice);
      }
    }
  }

  /**
   * Something that goes wrong during a run, at a time relative to the start of publishing. Faults
   * with a count affect the first {@code count} readings due at or after {@code at}.
   */
  public sealed interface Fault {

    /** The board this fault concerns; empty for fleet-wide faults. */
    default Optional<String> deviceId() {
      return Optional.empty();
    }

    /** When the fault starts; empty for faults that last the whole run. */
    default Optional<Duration> at() {
      return Optional.empty();
    }

    /**
     * A fault of one board from a moment on; its components give {@link #deviceId} and {@link #at}.
     */
    sealed interface OnDevice extends Fault {
      String device();

      Duration start();

      @Override
      default Optional<String> deviceId() {
        return Optional.of(device());
      }

      @Override
      default Optional<Duration> at() {
        return Optional.of(start());
      }
    }

    /** The board stays connected but publishes nothing from {@code at} for {@code length}. */
    record Stale(String device, Duration start, Duration length) implements OnDevice {
      public Stale {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(start, "start");
        check(!length.isNegative() && !length.isZero(), "stale length must be positive");
      }
    }

    /** Every connected board disconnects at once and reconnects at once. */
    record ReconnectStorm(Duration start) implements Fault {
      public ReconnectStorm {
        Objects.requireNonNull(start, "start");
      }

      @Override
      public Optional<Duration> at() {
        return Optional.of(start);
      }
    }

    /** Readings are published twice, byte for byte: the same {@code seq} arrives twice. */
    record DuplicateResend(String device, Duration start, int count) implements OnDevice {
      public DuplicateResend {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(start, "start");
        check(count >= 1, "count must be >= 1");
      }
    }

    /** Readings are published cut off in the middle: not valid JSON. */
    record Malformed(String device, Duration start, int count) implements OnDevice {
      public Malformed {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(start, "start");
        check(count >= 1, "count must be >= 1");
      }
    }

    /**
     * Readings are published to the next board's telemetry topic (the last board's go to the
     * first's; a fleet of one uses {@code b-l475e-0000}), as a misconfigured or spoofing device
     * would. Over HTTPS they are posted to that board's ingest path instead.
     */
    record WrongTopic(String device, Duration start, int count) implements OnDevice {
      public WrongTopic {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(start, "start");
        check(count >= 1, "count must be >= 1");
      }
    }

    /** The board's clock is off by {@code offset} (either sign) for the whole run. */
    record ClockSkew(String device, Duration offset) implements Fault {
      public ClockSkew {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(offset, "offset");
      }

      @Override
      public Optional<String> deviceId() {
        return Optional.of(device);
      }
    }

    /**
     * The board presents this certificate instead of its own, for example an expired one or one
     * from an unknown CA; a listener that checks certificates refuses the connection, and the board
     * keeps retrying with backoff.
     *
     * @param label what is wrong with it, for the report ({@code expired}, {@code unknown_ca})
     * @param certificate PEM certificate (and chain)
     * @param privateKey PEM PKCS#8 private key
     */
    record BadCertificate(String device, String label, Path certificate, Path privateKey)
        implements Fault {
      public BadCertificate {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
      }

      @Override
      public Optional<String> deviceId() {
        return Optional.of(device);
      }
    }
  }
}
