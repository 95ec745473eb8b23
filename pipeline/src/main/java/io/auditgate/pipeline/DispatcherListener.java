package io.auditgate.pipeline;

import java.time.Duration;
import java.time.Instant;

/**
 * Hears when a sink stops delivering and when it delivers again, once per outage each. The
 * application turns these into {@code UPSTREAM_INTERRUPTED} / {@code UPSTREAM_RESTORED} gateway
 * events in the log; the dispatcher only reports them.
 *
 * <p>Called on the sink's dispatcher thread, in order for one sink. Implementations must be
 * thread-safe (sinks run on their own threads), should return quickly (the sink waits meanwhile)
 * and should not throw: what they throw is logged and otherwise ignored.
 */
public interface DispatcherListener {
  /** Hears nothing. */
  DispatcherListener NONE = new DispatcherListener() {};

  /**
   * {@code sink} was delivering (or had just started) and could not deliver a batch.
   *
   * @param reason the sink's reason for the first failed attempt
   * @param at when the failed attempt ended, by the dispatcher's clock
   */
  default void upstreamInterrupted(String sink, String reason, Instant at) {}

  /**
   * {@code sink} delivered a whole batch again after an interruption.
   *
   * @param outage from the interruption's report to this one
   * @param retries failed attempts during the outage
   */
  default void upstreamRestored(String sink, Duration outage, long retries, Instant at) {}
}
