package io.auditgate.pipeline.internal;

import java.time.Duration;

/** Waits between retries; a seam so tests can record delays instead of sleeping through them. */
@FunctionalInterface
public interface Pause {
  /**
   * Waits {@code delay}, or less if the dispatcher is stopping.
   *
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(Duration delay) throws InterruptedException;
}
