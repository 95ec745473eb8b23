package io.auditgate.core.ingest;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a connection or request has proven to be. A device's id comes from here, never from the topic
 * or path alone.
 *
 * @param deviceId the device id the credentials prove
 * @param method how it was proven
 * @param certificateSha256 hex SHA-256 fingerprint of the client certificate, for mTLS
 */
public record DeviceIdentity(String deviceId, Method method, Optional<String> certificateSha256) {
  public enum Method {
    /** A client certificate verified by the TLS handshake (subject CN or SAN URI). */
    CLIENT_CERTIFICATE,
    /** Username and password (MQTT CONNECT) checked against a stored hash. */
    PASSWORD,
    /** A per-device bearer token checked against a stored hash. */
    TOKEN,
    /** No credentials; only when {@code auth.required} is explicitly false. */
    ANONYMOUS,
    /**
     * Received through the broker bridge: the id is the device-id level of the topic on a broker
     * the site already runs. It is trusted as the topic's owner only because that broker
     * authenticated the publisher and its ACL lets a client publish under its own id alone; the
     * gateway has not seen the device's credentials itself, so audits must be able to tell these
     * messages apart.
     */
    BRIDGED
  }

  public DeviceIdentity {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(certificateSha256, "certificateSha256");
  }
}
