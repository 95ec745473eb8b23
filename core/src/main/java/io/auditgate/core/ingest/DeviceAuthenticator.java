package io.auditgate.core.ingest;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * Turns the credentials a transport received into a device identity, or refuses them. Used by the
 * MQTT and HTTPS listeners alike, so both authenticate the same way.
 *
 * <p>Thread-safety: safe to call from any thread, including network event loops; never blocks on
 * I/O (credential stores are held in memory). Returns empty for every refusal (unknown, wrong,
 * expired, revoked) and never throws for bad credentials.
 */
public interface DeviceAuthenticator {

  /**
   * The device a client certificate chain, already verified by the TLS handshake against the
   * configured trust anchors, identifies: the SAN URI {@code urn:auditgate:device:ID}, else the
   * subject CN; empty if neither names a known device or the certificate is not acceptable.
   */
  Optional<DeviceIdentity> fromCertificate(List<X509Certificate> chain);

  /** The device a username and password identify (MQTT CONNECT); empty if they do not match. */
  Optional<DeviceIdentity> fromPassword(String username, byte[] password);

  /** The device a bearer token identifies (HTTPS); empty if it matches none. */
  Optional<DeviceIdentity> fromToken(String token);

  /**
   * Whether clients without credentials are let in as {@link DeviceIdentity.Method#ANONYMOUS}.
   * False unless {@code auth.required} is explicitly set to false (which the audit flags).
   */
  boolean allowsAnonymous();
}
