package io.auditgate.wal.internal;

import io.auditgate.core.wal.LogInUseException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code dir/LOCK} for as long as a log is open. The operating system drops it
 * when the process dies, so a crashed gateway never leaves a stale lock behind.
 */
public final class DirectoryLock implements Closeable {
  private final FileChannel channel;
  private final FileLock lock;

  private DirectoryLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @throws LogInUseException if another process, or another open log in this process, holds it
   */
  public static DirectoryLock acquire(Path dir) throws IOException {
    FileChannel channel =
        FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new LogInUseException(
          "write-ahead log in "
              + dir
              + " is in use by another gateway (it holds "
              + dir.resolve("LOCK")
              + ")");
    }
    return new DirectoryLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
