package io.auditgate.ingest.payload;

import io.auditgate.core.telemetry.Telemetry;
import java.util.Locale;
import java.util.Optional;

/**
 * How a SenML record's resolved name becomes a metric or tag key ({@link Telemetry#KEY}). The rule:
 *
 * <ol>
 *   <li><b>Drop the device prefix.</b> With a base name in effect, it is the base name (RFC 8428
 *       uses {@code bn} for the device's unique name, as in {@code
 *       "urn:dev:ow:10e2073a01080063:"}), so what remains is the record's own {@code n}. Without
 *       one, it is everything up to and including the name's last {@code ':'} (URN device names
 *       such as {@code urn:dev:mac:0024befffe804ff1:temp}).
 *   <li><b>A name that is only the device</b> (nothing remains, or what remains is the device's own
 *       id, as in RFC 8428's single-datapoint example) measures the device itself: the key is
 *       {@code value}, or {@code value_<unit>} when the record has a unit, because some packs (the
 *       RFC's humidity-and-location example) tell their quantities apart by unit alone.
 *   <li><b>Normalise:</b> lower-case, then every character outside {@code [a-z0-9_]} becomes {@code
 *       _}. {@code "Temp-Inside"} → {@code temp_inside}, {@code "%RH"} → {@code _rh}.
 *   <li>The result must match {@link Telemetry#KEY} (start with a letter, at most 32 characters);
 *       otherwise there is no key and the pack is refused. Nothing is truncated, and two different
 *       names that normalise alike ({@code temp-a}, {@code temp_a}) make the pack invalid instead
 *       of overwriting each other ({@link SenmlReader}).
 * </ol>
 *
 * <p>Examples: {@code bn "urn:dev:ow:10e2073a01080063:", n "voltage"} → {@code voltage}; {@code n
 * "urn:dev:ow:10e2073a01080063:voltage"} → {@code voltage}; {@code n "urn:dev:ow:10e2073a01080063",
 * u "Cel"} from device {@code 10e2073a01080063} → {@code value_cel}; {@code bn "dev-1/", n
 * "door/open"} → {@code door_open}; {@code n "5700"} → none (starts with a digit).
 */
final class SenmlKeys {
  private SenmlKeys() {}

  /**
   * @param resolvedName {@code bn + n}
   * @param baseName the base name in effect ({@code ""} if none)
   * @param unit the record's resolved unit, if any
   * @param deviceId the device the message is attributed to
   */
  static Optional<String> keyOf(
      String resolvedName, String baseName, Optional<String> unit, String deviceId) {
    String rest =
        !baseName.isEmpty() && resolvedName.startsWith(baseName)
            ? resolvedName.substring(baseName.length())
            : resolvedName.substring(resolvedName.lastIndexOf(':') + 1);
    if (rest.isEmpty() || rest.equalsIgnoreCase(deviceId)) {
      rest = unit.map(u -> "value_" + u).orElse("value");
    }
    String key = normalise(rest);
    return Telemetry.isKey(key) ? Optional.of(key) : Optional.empty();
  }

  static String normalise(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder key = new StringBuilder(lower.length());
    for (int i = 0; i < lower.length(); i++) {
      char c = lower.charAt(i);
      key.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ? c : '_');
    }
    return key.toString();
  }
}
