package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The broker bridge's settings (section {@code bridge}): for sites that already run an MQTT broker,
 * the gateway subscribes to the device topics there instead of (or besides) listening itself. Every
 * field may be left out; the compact constructor fills in the defaults and rejects values that
 * cannot work.
 *
 * <p>Bridged messages carry the device id of their topic ({@code devices/{id}/...}), trusted
 * because the site's broker authenticated the publisher and its ACL confines each client to its own
 * topics. A broker without such an ACL makes every bridged identity a claim, not a proof.
 *
 * @param enabled whether the gateway runs the bridge at all; false by default
 * @param host the existing broker's host name or address
 * @param port its MQTT port; 8883 with TLS, 1883 without, by default
 * @param tls whether to connect over TLS
 * @param trustFile PEM file of the CA certificates that may sign the broker's certificate; the
 *     JDK's default trust store when empty. Only with {@code tls}
 * @param username MQTT username, if the broker wants one
 * @param password MQTT password; only with a username. Never printed
 * @param clientId the MQTT client id; it names the persistent session on the broker, so two
 *     gateways must never share one
 * @param topicFilters what to subscribe to; each has one single-level wildcard {@code +} standing
 *     for the device id
 * @param sessionExpiry how long the broker keeps the session, and queues messages for it, while the
 *     bridge is disconnected (gateway restarts and outages must stay shorter than this)
 * @param receiveMaximum how many QoS 1 messages the broker may have unacknowledged towards the
 *     bridge at once, which bounds the bridge's memory while the log is busy; 1000 by default.
 *     Mosquitto 2.0 overruns it right after a session resumes (up to twice as many), in which case
 *     the bridge doubles it for its following connections, up to 65535
 * @param reconnectInitialDelay first pause before reconnecting; doubles per failed attempt
 * @param reconnectMaxDelay longest pause before reconnecting
 */
public record BridgeConfig(
    Boolean enabled,
    String host,
    Integer port,
    Boolean tls,
    Optional<Path> trustFile,
    Optional<String> username,
    Optional<String> password,
    String clientId,
    List<String> topicFilters,
    Duration sessionExpiry,
    Integer receiveMaximum,
    Duration reconnectInitialDelay,
    Duration reconnectMaxDelay) {

  /** The device topics of the architecture's MQTT contract. */
  public static final List<String> DEFAULT_TOPIC_FILTERS =
      List.of("devices/+/telemetry", "devices/+/events", "devices/+/firmware/state");

  /** The longest session expiry MQTT 5 can express short of "never expires" (0xFFFFFFFF). */
  public static final Duration MAX_SESSION_EXPIRY = Duration.ofSeconds(0xFFFFFFFEL);

  /** Printable client ids; the MQTT limit is 65535 bytes, this keeps them legible in logs. */
  private static final String CLIENT_ID = "^[A-Za-z0-9_.-]{1,64}$";

  public BridgeConfig {
    enabled = orDefault(enabled, false);
    host = orDefault(host, "localhost");
    Check.that(!host.isBlank(), "host", "must not be blank");
    tls = orDefault(tls, false);
    port = orDefault(port, tls ? 8883 : 1883);
    Check.that(port >= 1 && port <= 65535, "port", "must be between 1 and 65535, got " + port);
    trustFile = orDefault(trustFile, Optional.empty());
    Check.that(
        tls || trustFile.isEmpty(),
        "trust_file",
        "is only used with tls: true; set tls or drop it");
    username = orDefault(username, Optional.empty());
    password = orDefault(password, Optional.empty());
    Check.that(
        username.isPresent() || password.isEmpty(), "password", "needs a username to go with it");
    clientId = Check.matches("client_id", orDefault(clientId, "auditgate-bridge"), CLIENT_ID);
    topicFilters = orDefault(topicFilters, DEFAULT_TOPIC_FILTERS);
    Check.that(!topicFilters.isEmpty(), "topic_filters", "must name at least one topic filter");
    for (int i = 0; i < topicFilters.size(); i++) {
      checkTopicFilter("topic_filters[" + i + "]", topicFilters.get(i));
    }
    topicFilters = List.copyOf(topicFilters);
    sessionExpiry =
        between(
            "session_expiry",
            orDefault(sessionExpiry, Duration.ofDays(1)),
            Duration.ofSeconds(1),
            MAX_SESSION_EXPIRY);
    receiveMaximum = orDefault(receiveMaximum, 1000);
    Check.that(
        receiveMaximum >= 1 && receiveMaximum <= 65535,
        "receive_maximum",
        "must be between 1 and 65535, got " + receiveMaximum);
    reconnectInitialDelay =
        between(
            "reconnect_initial_delay",
            orDefault(reconnectInitialDelay, Duration.ofSeconds(1)),
            Duration.ofMillis(1),
            Duration.ofMinutes(10));
    reconnectMaxDelay =
        between(
            "reconnect_max_delay",
            orDefault(reconnectMaxDelay, Duration.ofMinutes(1)),
            reconnectInitialDelay,
            Duration.ofHours(1));
  }

  /** Every setting at its default (a disabled bridge to {@code localhost:1883}). */
  public static BridgeConfig defaults() {
    return new BridgeConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  /**
   * Which level of a topic matching {@code topicFilter} holds the device id: the first {@code +}.
   */
  public static int deviceIdLevel(String topicFilter) {
    return List.of(topicFilter.split("/", -1)).indexOf("+");
  }

  private static void checkTopicFilter(String key, String filter) {
    Check.that(filter != null && !filter.isEmpty(), key, "must not be empty");
    String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      String level = levels[i];
      Check.that(
          level.equals("+") || level.equals("#") || !(level.contains("+") || level.contains("#")),
          key,
          "wildcards must fill a whole level, got '" + filter + "'");
      Check.that(
          !level.equals("#") || i == levels.length - 1,
          key,
          "'#' may only be the last level, got '" + filter + "'");
    }
    int deviceLevel = deviceIdLevel(filter);
    Check.that(
        deviceLevel >= 0,
        key,
        "needs a '+' level standing for the device id (as in devices/+/telemetry), got '"
            + filter
            + "'");
  }

  /** The password never appears in logs or in {@code auditgate config} output. */
  @Override
  public String toString() {
    return "BridgeConfig[enabled="
        + enabled
        + ", host="
        + host
        + ", port="
        + port
        + ", tls="
        + tls
        + ", trustFile="
        + trustFile
        + ", username="
        + username
        + ", password="
        + password.map(p -> "***")
        + ", clientId="
        + clientId
        + ", topicFilters="
        + topicFilters
        + ", sessionExpiry="
        + sessionExpiry
        + ", receiveMaximum="
        + receiveMaximum
        + ", reconnectInitialDelay="
        + reconnectInitialDelay
        + ", reconnectMaxDelay="
        + reconnectMaxDelay
        + "]";
  }
}
