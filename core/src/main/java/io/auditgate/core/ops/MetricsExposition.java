package io.auditgate.core.ops;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's metrics in a scrape format, as {@code GET /metrics} serves them. The HTTP server
 * knows nothing about which metrics exist; the wiring registers them.
 *
 * <p>Thread-safety: called from HTTP threads, possibly concurrently. {@link #writeTo} reads the
 * current values (snapshots) and does not block on the data path.
 */
public interface MetricsExposition {
  /** The HTTP {@code Content-Type} of what {@link #writeTo} writes. */
  String contentType();

  /** Writes every registered metric's current value; does not close {@code out}. */
  void writeTo(OutputStream out) throws IOException;
}
