package io.auditgate.controlplane.inventory.discovery;

import java.util.Objects;
import java.util.Optional;

/**
 * A TLS endpoint to scan: host name or IP literal and port.
 *
 * @param host a DNS name or an IP literal (IPv6 without brackets), 1..253 characters
 * @param port 1..65535
 */
public record TlsEndpoint(String host, int port) {
  public TlsEndpoint {
    Objects.requireNonNull(host, "host");
    if (host.isEmpty() || host.length() > 253 || host.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "host must be 1..253 characters without spaces, got '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
  }

  /** Parses {@code host:port} or {@code [v6]:port}; empty when malformed. */
  public static Optional<TlsEndpoint> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String t = text.trim();
    int colon = t.lastIndexOf(':');
    if (colon <= 0 || colon == t.length() - 1) {
      return Optional.empty();
    }
    String host = t.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new TlsEndpoint(host, Integer.parseInt(t.substring(colon + 1))));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** {@code host:port}, IPv6 literals in brackets. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
