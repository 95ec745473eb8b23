package io.auditgate.fleet;

/**
 * A read model that holds connections between calls (a pool): close it, once, when the process
 * stops serving reads. Calls after {@link #close()} throw {@link UnableToReadFleetException}.
 * Thread-safe like every read model.
 */
public interface CloseableFleetReadModel extends FleetReadModel, AutoCloseable {
  /** Closes the connections; idempotent, never throws. */
  @Override
  void close();
}
