package io.auditgate.certs.internal;

import io.auditgate.certs.CertsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file whole or not at all: a reader (a listener reloading its certificate, a device
 * reading its key) never sees half a PEM file.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /**
   * Replaces {@code target} with {@code content}. A secret stays readable by the owner only (the
   * temporary file is created that way on POSIX systems, and the rename keeps it); anything else is
   * made world-readable, as certificates are public.
   */
  public static void write(Path target, byte[] content, boolean secret) {
    Path dir = target.toAbsolutePath().getParent();
    try {
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp");
      try {
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
          ByteBuffer buffer = ByteBuffer.wrap(content);
          while (buffer.hasRemaining()) {
            channel.write(buffer);
          }
          channel.force(true);
        }
        if (!secret && Files.getFileAttributeView(temp, PosixFileAttributeView.class) != null) {
          Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new CertsException("cannot write " + target + ": " + e.getMessage(), e);
    }
  }
}
