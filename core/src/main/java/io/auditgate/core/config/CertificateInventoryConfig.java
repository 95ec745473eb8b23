package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Section {@code certificates.inventory}: how the certificate inventory derives status and posture,
 * which anchors chains are validated against, and which TLS endpoints it scans. Every field may be
 * left out. Design: docs/certificates-inventory.md.
 *
 * @param expiryWindowDays the "expiring within N days" windows, ascending, each 1..3650, at most 8;
 *     the largest bounds the expiring_soon status; default [30, 60, 90]
 * @param maxAge a certificate in service issued longer ago than this counts in the posture's "older
 *     than maximum age"; at least 1 day, default 825 days
 * @param trustAnchors PEM or DER files whose certificates are trust anchors, besides the
 *     development CA's root the app adds; default none
 * @param listenerSightingsInterval how often client certificates seen at the listeners are turned
 *     into sightings; 1 s..1 h, default 10 s
 * @param scanEndpoints TLS endpoints to scan on a schedule, {@code host:port} or {@code [v6]:port};
 *     default none
 * @param scanInterval time between two scans of the endpoints; 10 s..7 days, default 1 h
 * @param scanTimeout connect and handshake timeout per endpoint; 100 ms..5 min, default 5 s
 */
public record CertificateInventoryConfig(
    List<Integer> expiryWindowDays,
    Duration maxAge,
    List<String> trustAnchors,
    Duration listenerSightingsInterval,
    List<String> scanEndpoints,
    Duration scanInterval,
    Duration scanTimeout) {
  private static final Pattern ENDPOINT =
      Pattern.compile("^(\\[[0-9A-Fa-f:.]+\\]|[^\\s:\\[\\]]{1,253}):([0-9]{1,5})$");

  public CertificateInventoryConfig {
    expiryWindowDays = List.copyOf(orDefault(expiryWindowDays, List.of(30, 60, 90)));
    Check.that(
        !expiryWindowDays.isEmpty() && expiryWindowDays.size() <= 8,
        "expiry_window_days",
        "must hold 1 to 8 windows, got " + expiryWindowDays);
    int previous = 0;
    for (int days : expiryWindowDays) {
      Check.that(
          days > previous && days <= 3650,
          "expiry_window_days",
          "must be ascending, each 1..3650, got " + expiryWindowDays);
      previous = days;
    }
    maxAge =
        between(
            "max_age",
            orDefault(maxAge, Duration.ofDays(825)),
            Duration.ofDays(1),
            Duration.ofDays(36_500));
    trustAnchors = List.copyOf(orDefault(trustAnchors, List.of()));
    for (String file : trustAnchors) {
      Check.that(!file.isBlank(), "trust_anchors", "must name files, got ''");
    }
    listenerSightingsInterval =
        between(
            "listener_sightings_interval",
            orDefault(listenerSightingsInterval, Duration.ofSeconds(10)),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    scanEndpoints = List.copyOf(orDefault(scanEndpoints, List.of()));
    for (String endpoint : scanEndpoints) {
      var m = ENDPOINT.matcher(endpoint);
      Check.that(
          m.matches()
              && Integer.parseInt(m.group(2)) >= 1
              && Integer.parseInt(m.group(2)) <= 65_535,
          "scan_endpoints",
          "each must be host:port or [v6]:port with a port 1..65535, got '" + endpoint + "'");
    }
    scanInterval =
        between(
            "scan_interval",
            orDefault(scanInterval, Duration.ofHours(1)),
            Duration.ofSeconds(10),
            Duration.ofDays(7));
    scanTimeout =
        between(
            "scan_timeout",
            orDefault(scanTimeout, Duration.ofSeconds(5)),
            Duration.ofMillis(100),
            Duration.ofMinutes(5));
  }

  /** Every setting at its default. */
  public static CertificateInventoryConfig defaults() {
    return new CertificateInventoryConfig(null, null, null, null, null, null, null);
  }
}
