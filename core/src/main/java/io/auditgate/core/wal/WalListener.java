package io.auditgate.core.wal;

/**
 * Receives the log's {@link WalEvent}s. Called on the log's own threads: implementations must be
 * thread-safe, must not block for long and must not throw.
 */
@FunctionalInterface
public interface WalListener {
  WalListener NONE = event -> {};

  void on(WalEvent event);
}
