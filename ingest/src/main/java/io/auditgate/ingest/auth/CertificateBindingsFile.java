package io.auditgate.ingest.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.telemetry.Telemetry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificate bindings file ({@code auth.certificate_bindings_file}): which certificates stand
 * for which device, until the certificate control plane keeps this registry. JSON lines, UTF-8, one
 * binding per line; blank lines and lines starting with {@code #} are ignored:
 *
 * <pre>
 * # auditgate certificate bindings
 * {"device_id":"b-l475e-0001","sha256":"3f1c…64 hex digits"}
 * </pre>
 *
 * <p>A device may have several certificates (during a renewal); a certificate belongs to one device
 * only. With a bindings file, a device that has no binding cannot authenticate with a certificate
 * at all: the registry, not the CA alone, says who a certificate is.
 */
public final class CertificateBindingsFile {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String HEADER =
      "# auditgate certificate bindings: one JSON object per line\n";

  private CertificateBindingsFile() {}

  /**
   * The bindings in {@code file}.
   *
   * @throws ConfigException naming the line of a mistake or a certificate bound twice
   */
  public static CertificateBindings read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("certificate_bindings_file", file + ": no such file");
    } catch (IOException e) {
      throw new ConfigException(
          "certificate_bindings_file", file + ": cannot read: " + e.getMessage());
    }
    InMemoryCertificateBindings bindings = new InMemoryCertificateBindings();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1) + ": ";
      try {
        JsonNode node = JSON.readTree(line);
        String deviceId = node.path("device_id").asText("");
        String sha256 = node.path("sha256").asText("");
        if (!Telemetry.isDeviceId(deviceId)) {
          throw new ConfigException(
              "certificate_bindings_file", where + "device_id must match " + Telemetry.DEVICE_ID);
        }
        InMemoryCertificateBindings.BindOutcome outcome = bindings.bind(deviceId, sha256);
        if (outcome == InMemoryCertificateBindings.BindOutcome.BOUND_TO_OTHER_DEVICE) {
          throw new ConfigException(
              "certificate_bindings_file",
              where + "certificate " + sha256 + " is already bound to another device");
        }
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("certificate_bindings_file", where + e.getMessage());
      }
    }
    return new Exclusive(bindings);
  }

  /** Appends one binding line, creating the file with its header if needed. */
  public static void append(Path file, String deviceId, String sha256) throws IOException {
    String line =
        JSON.createObjectNode().put("device_id", deviceId).put("sha256", sha256).toString() + "\n";
    if (!Files.exists(file)) {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, HEADER, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
    }
    Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** A registry: a device it does not list has no certificate it may use. */
  private record Exclusive(InMemoryCertificateBindings bindings) implements CertificateBindings {
    @Override
    public Optional<Set<String>> fingerprintsOf(String deviceId) {
      return Optional.of(bindings.fingerprintsOf(deviceId).orElse(Set.of()));
    }

    @Override
    public Optional<String> deviceOf(String sha256Fingerprint) {
      return bindings.deviceOf(sha256Fingerprint);
    }
  }
}
