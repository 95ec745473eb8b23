package io.auditgate.wal.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Durability helpers the JDK does not name. */
public final class Fsync {
  private Fsync() {}

  /**
   * Forces a directory, so that files created, renamed or deleted in it survive a crash. Linux
   * needs this; it is the step most home-made logs forget.
   */
  public static void directory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
