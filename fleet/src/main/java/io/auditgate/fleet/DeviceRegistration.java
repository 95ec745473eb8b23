package io.auditgate.fleet;

import java.util.Map;
import java.util.Optional;

/**
 * What an operator registers about a device. An upsert replaces every registry field with these
 * values (an empty optional clears the field); state and history are never touched.
 *
 * @param id {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param profile the name of an existing {@link DeviceProfile}
 * @param boundCertificateSha256 the SHA-256 fingerprint (64 lower-case hex digits) of the
 *     certificate bound to the device
 * @param tags at most 16; keys {@code ^[a-z][a-z0-9_]{0,31}$}, values ≤ 128 characters
 */
public record DeviceRegistration(
    String id,
    Optional<String> name,
    String profile,
    Optional<String> location,
    Optional<String> firmwareVersion,
    Optional<String> boundCertificateSha256,
    Map<String, String> tags) {
  public DeviceRegistration {
    Values.id("id", id);
    Values.text("name", name);
    Values.profile("profile", profile);
    Values.text("location", location);
    Values.text("firmwareVersion", firmwareVersion);
    Values.sha256("boundCertificateSha256", boundCertificateSha256);
    tags = Values.tags("tags", tags);
  }

  /** A device with only an id, of the default profile. */
  public static DeviceRegistration of(String id) {
    return new DeviceRegistration(
        id,
        Optional.empty(),
        DeviceProfile.DEFAULT,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Map.of());
  }
}
