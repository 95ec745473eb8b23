package io.auditgate.controlplane.inventory.discovery;

import io.auditgate.certs.x509.CertificateFiles;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.RecordOutcome;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Imports certificates sent over the API (a PEM bundle or one DER certificate in a request body):
 * read whole like a file of {@link CertificateFileImporter}, recorded in one transaction as a
 * {@code file} sighting whose location names who sent it ({@code api:<token name>}), or refused
 * whole with the file reader's reason code. Keystores need a password and are refused ({@code
 * password_required}): the CLI imports them.
 *
 * <p>Thread-safe; blocks on the database.
 */
public final class CertificateUpload {
  /** What an upload did. */
  public sealed interface Outcome {
    /** Recorded: every certificate of the body, and those the inventory did not know. */
    record Imported(String format, List<String> sha256s, List<String> added) implements Outcome {
      public Imported {
        Objects.requireNonNull(format, "format");
        sha256s = List.copyOf(sha256s);
        added = List.copyOf(added);
      }
    }

    /** Nothing was recorded; {@code reason} is the file reader's code. */
    record Refused(String reason, String message) implements Outcome {
      public Refused {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
      }
    }
  }

  private final CertificateInventory inventory;
  private final Clock clock;

  public CertificateUpload(CertificateInventory inventory, Clock clock) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Reads {@code body} and records its certificates.
   *
   * @param sender who sent it, for the sighting's location (1..200 characters)
   */
  public Outcome upload(byte[] body, String sender) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(sender, "sender");
    if (sender.isEmpty() || sender.length() > 200) {
      throw new IllegalArgumentException("sender must be 1..200 characters");
    }
    CertificateFiles.Result result = CertificateFiles.read(body, Optional.empty(), "request body");
    if (result instanceof CertificateFiles.Result.Refused r) {
      return new Outcome.Refused(r.reason().code(), r.message());
    }
    CertificateFiles.Result.Read read = (CertificateFiles.Result.Read) result;
    Sighting sighting =
        new Sighting(
            SourceKind.FILE,
            "api:" + sender,
            Optional.empty(),
            clock.instant(),
            Map.of("format", read.format().label(), "via", "api"));
    RecordOutcome outcome = inventory.recordAll(read.chains(), sighting);
    return new Outcome.Imported(read.format().label(), outcome.sha256s(), outcome.added());
  }
}
