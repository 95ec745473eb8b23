package io.auditgate.controlplane.inventory.discovery;

import io.auditgate.certs.x509.CertificateFiles;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.RecordOutcome;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.controlplane.inventory.UnableToUseInventoryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Imports the certificates of every regular file under a directory (PEM with any number of
 * certificates, DER, PKCS#12 and JKS with the given password; the format is recognised from the
 * content). Each file is read whole before anything of it is recorded, and all of its chains are
 * recorded in one transaction, so a file is imported whole or refused whole with its reason.
 * Symbolic links are not followed; at most {@link #MAX_DEPTH} levels and {@link #MAX_FILES} files.
 *
 * <p>Thread-safe; blocks on file I/O and the database.
 */
public final class CertificateFileImporter {
  public static final int MAX_DEPTH = 8;
  public static final int MAX_FILES = 10_000;

  private final CertificateInventory inventory;
  private final Clock clock;

  public CertificateFileImporter(CertificateInventory inventory, Clock clock) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Imports every file under {@code dir}.
   *
   * @throws IllegalArgumentException if {@code dir} is not a directory
   * @throws UncheckedIOException if the directory cannot be listed
   */
  public ImportReport importDirectory(Path dir, Optional<char[]> password) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(password, "password");
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException(dir + " is not a directory");
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir, MAX_DEPTH)) {
      files = walk.filter(Files::isRegularFile).sorted().limit(MAX_FILES).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    List<ImportReport.Imported> imported = new ArrayList<>();
    List<ImportReport.Refused> refused = new ArrayList<>();
    for (Path file : files) {
      CertificateFiles.Result result = CertificateFiles.read(file, password);
      if (result instanceof CertificateFiles.Result.Refused r) {
        refused.add(new ImportReport.Refused(file, r.reason().code(), r.message()));
        continue;
      }
      CertificateFiles.Result.Read read = (CertificateFiles.Result.Read) result;
      boolean keystore =
          read.format() == CertificateFiles.Format.PKCS12
              || read.format() == CertificateFiles.Format.JKS;
      Sighting sighting =
          new Sighting(
              keystore ? SourceKind.KEYSTORE : SourceKind.FILE,
              location(file),
              Optional.empty(),
              clock.instant(),
              Map.of("format", read.format().label()));
      try {
        RecordOutcome outcome = inventory.recordAll(read.chains(), sighting);
        imported.add(
            new ImportReport.Imported(
                file, read.format().label(), outcome.sha256s(), outcome.added()));
      } catch (UnableToUseInventoryException e) {
        refused.add(new ImportReport.Refused(file, "record_failed", e.getMessage()));
      }
    }
    return new ImportReport(imported, refused);
  }

  private static String location(Path file) {
    String s = file.toAbsolutePath().normalize().toString();
    return s.length() <= 1024 ? s : s.substring(s.length() - 1024);
  }
}
