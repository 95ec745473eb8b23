package io.auditgate.wal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * Opens the file channels the log writes through. The default opens real files; tests pass an
 * opener whose channels fail {@code force} or run out of space, to prove the log never acknowledges
 * what it did not store.
 */
@FunctionalInterface
public interface ChannelOpener {
  ChannelOpener DEFAULT = FileChannel::open;

  FileChannel open(Path path, OpenOption... options) throws IOException;
}
