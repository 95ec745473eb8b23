package io.auditgate.app.health;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The free and total bytes of the file system holding a directory (one {@code statvfs}, no
 * directory walk). Thread-safe.
 */
public final class DiskSpace {
  private final Path dir;

  public DiskSpace(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /** Usable (by this process) and total bytes now; empty when the directory cannot be read. */
  public Optional<Usage> usage() {
    try {
      Path existing = dir;
      // The data directory may not exist yet (a consumer-only node): ask about its parent.
      while (existing != null && !Files.exists(existing)) {
        existing = existing.toAbsolutePath().getParent();
      }
      if (existing == null) {
        return Optional.empty();
      }
      FileStore store = Files.getFileStore(existing);
      return Optional.of(new Usage(store.getUsableSpace(), store.getTotalSpace()));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public record Usage(long freeBytes, long totalBytes) {}
}
