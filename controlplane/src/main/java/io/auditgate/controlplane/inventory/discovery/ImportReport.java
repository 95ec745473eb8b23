package io.auditgate.controlplane.inventory.discovery;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What importing a directory did, file by file.
 *
 * @param imported files whose certificates were recorded
 * @param refused files refused, each with a reason code and a message; nothing of them was recorded
 */
public record ImportReport(List<Imported> imported, List<Refused> refused) {
  public ImportReport {
    imported = List.copyOf(imported);
    refused = List.copyOf(refused);
  }

  /**
   * A file whose certificates are now in the inventory.
   *
   * @param format {@code pem}, {@code der}, {@code pkcs12} or {@code jks}
   * @param sha256s every certificate of the file
   * @param added those the inventory did not know before
   */
  public record Imported(Path file, String format, List<String> sha256s, List<String> added) {
    public Imported {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(format, "format");
      sha256s = List.copyOf(sha256s);
      added = List.copyOf(added);
    }
  }

  /**
   * A file refused whole.
   *
   * @param reason {@code not_a_certificate}, {@code corrupt_pem}, {@code empty}, {@code
   *     no_certificate}, {@code password_required}, {@code wrong_password}, {@code too_large},
   *     {@code unreadable} or {@code record_failed}
   */
  public record Refused(Path file, String reason, String message) {
    public Refused {
      Objects.requireNonNull(file, "file");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
