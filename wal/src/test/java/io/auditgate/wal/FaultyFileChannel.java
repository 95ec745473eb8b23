package io.auditgate.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A {@link FileChannel} that delegates to a real one and injects the disk faults its shared {@link
 * Faults} plan asks for: the Nth {@code force} throws (optionally losing every byte written since
 * the channel's last successful force, as the kernel may after a failed fsync), or writes run out
 * of space once a byte quota is used up, with a short write first exactly as {@code write(2)} does.
 *
 * <p>The plan also keeps a model of what is on stable storage, page by page, as opposed to what the
 * page cache shows through the file: a successful {@code force} persists the pages written since
 * the last one, a failed one leaves them clean in the cache but not on disk (Linux after a
 * writeback error), and {@link Faults#powerLoss} replaces each file by its stable image.
 *
 * <p>Only the log's segment files go through it (see {@link #opener}); cursor files, the
 * dead-letter log and the losses log use plain channels.
 */
final class FaultyFileChannel extends FileChannel {

  /** Called at the start of every {@code force}, before any injected failure. */
  @FunctionalInterface
  interface ForceHook {
    ForceHook NONE = (path, number) -> {};

    void beforeForce(Path path, long number) throws IOException;
  }

  /**
   * The fault plan shared by every channel an opener hands out, so that "the Nth force" and "the
   * quota" span segment rolls. Counters only count calls made through faulty channels.
   */
  static final class Faults {
    private long forces;
    private long failingForce = Long.MAX_VALUE;
    private boolean loseUnforcedOnFailure;
    private long failedForces;
    private long bytesWritten;
    private long quota = Long.MAX_VALUE;
    private volatile ForceHook hook = ForceHook.NONE;
    private final Map<Path, StableFile> stable = new HashMap<>();

    /**
     * Makes the {@code nth} force from now on (1 = the next one) throw, once.
     *
     * @param loseUnforced whether the failing channel's file also loses everything written since
     *     its last successful force (the dirty pages a failed fsync may drop)
     */
    synchronized void failForce(int nth, boolean loseUnforced) {
      failingForce = forces + nth;
      loseUnforcedOnFailure = loseUnforced;
    }

    /** Lets {@code bytes} more bytes be written, then fails writes with ENOSPC. */
    synchronized void diskFullAfter(long bytes) {
      quota = bytesWritten + bytes;
    }

    void hook(ForceHook hook) {
      this.hook = hook;
    }

    synchronized long forces() {
      return forces;
    }

    synchronized long failedForces() {
      return failedForces;
    }

    synchronized long bytesWritten() {
      return bytesWritten;
    }

    /** Counts a force; true if this one must fail. */
    private synchronized boolean forceFails() {
      forces++;
      if (forces == failingForce) {
        failedForces++;
        return true;
      }
      return false;
    }

    private synchronized boolean loseUnforcedOnFailure() {
      return loseUnforcedOnFailure;
    }

    /** Reserves up to {@code wanted} bytes of quota; 0 when the disk is full. */
    private synchronized int reserve(int wanted) {
      long allowed = Math.min(wanted, Math.max(0, quota - bytesWritten));
      bytesWritten += allowed;
      return (int) allowed;
    }

    private synchronized void release(int unused) {
      bytesWritten -= unused;
    }

    /**
     * Simulates a power loss: every segment file seen through this plan is replaced by what its
     * successful forces put on stable storage (zeros where a page never got there).
     */
    synchronized void powerLoss() throws IOException {
      for (Iterator<Map.Entry<Path, StableFile>> it = stable.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<Path, StableFile> entry = it.next();
        if (!Files.exists(entry.getKey())) {
          it.remove();
          continue;
        }
        byte[] image = entry.getValue().image();
        Files.write(entry.getKey(), image);
        entry.setValue(new StableFile(image));
      }
    }

    /** First sight of a file: what it holds now is taken to be on stable storage. */
    private synchronized void track(Path path) throws IOException {
      if (!stable.containsKey(path)) {
        stable.put(path, new StableFile(Files.readAllBytes(path)));
      }
    }

    private synchronized void wrote(Path path, long position, int bytes) {
      stable.get(path).wrote(position, bytes);
    }

    private synchronized void truncated(Path path, long size) {
      stable.get(path).truncated(size);
    }

    private synchronized void forced(Path path) throws IOException {
      try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
        stable.get(path).forced(file);
      }
    }

    private synchronized void forceFailed(Path path) {
      stable.get(path).forceFailed();
    }
  }

  /** What one file holds on stable storage, and which of its cached pages differ from that. */
  private static final class StableFile {
    private static final int PAGE = 4096;

    private long size;
    private final Map<Long, byte[]> pages = new HashMap<>();
    private final Set<Long> dirty = new HashSet<>();

    StableFile(byte[] content) {
      size = content.length;
      for (long page = 0; page * PAGE < content.length; page++) {
        int from = Math.toIntExact(page * PAGE);
        pages.put(page, Arrays.copyOfRange(content, from, Math.min(content.length, from + PAGE)));
      }
    }

    /** Written pages are dirty, and will be written back whole, even if an earlier one failed. */
    void wrote(long position, int bytes) {
      if (bytes > 0) {
        for (long page = position / PAGE; page <= (position + bytes - 1) / PAGE; page++) {
          dirty.add(page);
        }
      }
    }

    /** The kernel zeroes and dirties the page the new end falls in; later pages are gone. */
    void truncated(long newSize) {
      dirty.removeIf(page -> page * PAGE >= newSize);
      if (newSize % PAGE != 0) {
        dirty.add(newSize / PAGE);
      }
    }

    /** A successful force writes back every dirty page and the file's size. */
    void forced(FileChannel file) throws IOException {
      size = file.size();
      for (long page : dirty) {
        long from = page * PAGE;
        ByteBuffer content = ByteBuffer.allocate((int) Math.max(0, Math.min(PAGE, size - from)));
        while (content.hasRemaining() && file.read(content, from + content.position()) >= 0) {}
        pages.put(page, content.array());
      }
      dirty.clear();
    }

    /** A failed force: the dirty pages are marked clean without reaching stable storage. */
    void forceFailed() {
      dirty.clear();
    }

    byte[] image() {
      byte[] image = new byte[Math.toIntExact(size)];
      pages.forEach(
          (page, content) -> {
            long from = page * PAGE;
            if (from < size) {
              int length = (int) Math.min(content.length, size - from);
              System.arraycopy(content, 0, image, (int) from, length);
            }
          });
      return image;
    }
  }

  /** Opens segment files ({@code *.seg}) through faulty channels, everything else normally. */
  static ChannelOpener opener(Faults faults) {
    return (path, options) -> {
      FileChannel real = FileChannel.open(path, options);
      if (!path.getFileName().toString().endsWith(".seg")) {
        return real;
      }
      faults.track(path);
      return new FaultyFileChannel(path, real, faults);
    };
  }

  private final Path path;
  private final FileChannel delegate;
  private final Faults faults;
  private long forcedSize;

  private FaultyFileChannel(Path path, FileChannel delegate, Faults faults) throws IOException {
    this.path = path;
    this.delegate = delegate;
    this.faults = faults;
    this.forcedSize = delegate.size();
  }

  @FunctionalInterface
  private interface Write {
    int to(ByteBuffer src) throws IOException;
  }

  /** Writes at {@code at} at most the remaining quota; throws ENOSPC when none is left. */
  private int limited(ByteBuffer src, long at, Write write) throws IOException {
    int wanted = src.remaining();
    if (wanted == 0) {
      return write.to(src);
    }
    int allowed = faults.reserve(wanted);
    if (allowed == 0) {
      throw new IOException("No space left on device");
    }
    ByteBuffer part = src.duplicate();
    part.limit(part.position() + allowed);
    int written = write.to(part);
    faults.release(allowed - written);
    faults.wrote(path, at, written);
    src.position(src.position() + written);
    return written;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return limited(src, delegate.position(), delegate::write);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    return limited(src, position, part -> delegate.write(part, position));
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    long total = 0;
    for (int i = offset; i < offset + length; i++) {
      while (srcs[i].hasRemaining()) {
        total += write(srcs[i]);
      }
    }
    return total;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    faults.hook.beforeForce(path, faults.forces() + 1);
    if (faults.forceFails()) {
      faults.forceFailed(path);
      synchronized (this) {
        if (faults.loseUnforcedOnFailure() && delegate.size() > forcedSize) {
          delegate.truncate(forcedSize);
          faults.truncated(path, forcedSize);
        }
      }
      throw new IOException("Input/output error (injected into force of " + path + ")");
    }
    delegate.force(metaData);
    faults.forced(path);
    synchronized (this) {
      forcedSize = delegate.size();
    }
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    delegate.truncate(size);
    faults.truncated(path, size);
    synchronized (this) {
      forcedSize = Math.min(forcedSize, size);
    }
    return this;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return delegate.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return delegate.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return delegate.read(dst, position);
  }

  @Override
  public long position() throws IOException {
    return delegate.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    delegate.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return delegate.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return delegate.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) {
    throw new UnsupportedOperationException("the log does not use transferFrom; fault it first");
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    if (mode != MapMode.READ_ONLY) {
      throw new UnsupportedOperationException("writable mappings would bypass fault injection");
    }
    return delegate.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return delegate.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return delegate.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    delegate.close();
  }
}
