package io.auditgate.ingest.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.ingest.auth.DeviceCredentials.SecretKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The device credentials file ({@code auth.credentials_file}): JSON lines, one device per line,
 * UTF-8. Blank lines and lines starting with {@code #} are ignored.
 *
 * <pre>
 * # auditgate device credentials
 * {"device_id":"sensor-01","password":"$pbkdf2-sha256$i=210000$…$…"}
 * {"device_id":"sensor-02","token":"$pbkdf2-sha256$i=210000$…$…"}
 * </pre>
 *
 * <p>{@code device_id} is required and unique; {@code password} and {@code token} are {@link
 * SecretHash} PHC strings, at least one of them present. The file holds hashes only, never a
 * secret. JSON lines rather than YAML so that a tool can append a device with one write and a
 * reader can name the line of a mistake.
 *
 * <p>A device's MQTT username is its device id. Its bearer token is {@code <deviceId>.<secret>}
 * ({@link #newToken}) so the gateway finds the one hash to check without trying every device's.
 */
public final class CredentialsFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS = Set.of("device_id", "password", "token");
  private static final String HEADER =
      "# auditgate device credentials: one JSON object per line, PBKDF2 hashes only\n";

  private CredentialsFile() {}

  /**
   * Reads the file.
   *
   * @throws ConfigException under the key {@code credentials_file}, naming the line at fault
   */
  public static CredentialStore read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("credentials_file", file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException("credentials_file", file + ": cannot read: " + e.getMessage());
    }
    List<DeviceCredentials> devices = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        devices.add(parseLine(line));
      } catch (IllegalArgumentException | JsonProcessingException e) {
        throw new ConfigException(
            "credentials_file", file + " line " + (i + 1) + ": " + problem(e));
      }
    }
    try {
      return CredentialStore.of(devices);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("credentials_file", file + ": " + e.getMessage());
    }
  }

  /** Replaces the file with the store's devices, atomically (readers see the old or new file). */
  public static void write(Path file, CredentialStore store) {
    StringBuilder text = new StringBuilder(HEADER);
    for (DeviceCredentials device : store.devices()) {
      text.append(line(device)).append('\n');
    }
    Path dir = file.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      // Created owner-only on POSIX: the hashes are offline-guessable, so not for everyone.
      Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try {
        Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new ConfigException("credentials_file", file + ": cannot write: " + e.getMessage());
    }
  }

  /** One device as a line of the file (no line break). */
  public static String line(DeviceCredentials device) {
    ObjectNode node = JSON.createObjectNode();
    node.put("device_id", device.deviceId());
    device.password().ifPresent(hash -> node.put("password", hash.encode()));
    device.token().ifPresent(hash -> node.put("token", hash.encode()));
    return node.toString();
  }

  /**
   * Hashes a secret into the stored form with the default rounds: what {@code auditgate devices
   * add-credential} writes. The secret is hashed as its UTF-8 bytes, as an MQTT client sends it.
   */
  public static String hashSecret(char[] secret) {
    return hashSecret(secret, SecretHash.DEFAULT_ITERATIONS);
  }

  /** {@link #hashSecret(char[])} with the given rounds (low only in tests). */
  public static String hashSecret(char[] secret, int iterations) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(secret));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    // Wipe the copies this method made; the caller owns (and should wipe) the char[].
    Arrays.fill(encoded.array(), (byte) 0);
    try {
      return SecretHash.create(bytes, iterations, new SecureRandom()).encode();
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /**
   * A new random bearer token for a device: {@code <deviceId>.<43 characters>} (256 random bits,
   * Base64url). Show it to the operator once and store only {@link #hashSecret} of the whole token.
   */
  public static String newToken(String deviceId) {
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException("not a device id: '" + deviceId + "'");
    }
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return deviceId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  /** The device id a token names, if it has the {@code <deviceId>.<secret>} form. */
  static Optional<String> tokenDeviceId(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0 || dot == token.length() - 1) {
      return Optional.empty();
    }
    String id = token.substring(0, dot);
    return Telemetry.isDeviceId(id) ? Optional.of(id) : Optional.empty();
  }

  private static DeviceCredentials parseLine(String line) throws JsonProcessingException {
    JsonNode node = JSON.readTree(line);
    if (!(node instanceof ObjectNode object)) {
      throw new IllegalArgumentException("must be a JSON object");
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field '" + name + "'; known: device_id, password, token");
      }
    }
    JsonNode id = object.get("device_id");
    if (id == null || !id.isTextual()) {
      throw new IllegalArgumentException("device_id is required and must be a string");
    }
    return new DeviceCredentials(
        id.asText(), hash(object, SecretKind.PASSWORD), hash(object, SecretKind.TOKEN));
  }

  private static Optional<SecretHash> hash(ObjectNode object, SecretKind kind) {
    String field = kind == SecretKind.PASSWORD ? "password" : "token";
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new IllegalArgumentException(field + " must be a string");
    }
    try {
      return Optional.of(SecretHash.parse(value.asText()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage(), e);
    }
  }

  private static String problem(Exception e) {
    return e instanceof JsonProcessingException json
        ? "not valid JSON (" + json.getOriginalMessage() + ")"
        : e.getMessage();
  }
}
