package io.auditgate.ingest.http;

import java.util.Optional;

/**
 * Whether the gateway can take telemetry now, as {@code GET /readyz} reports it to a load balancer
 * or orchestrator. The wiring decides what "ready" means (log open and not full, sinks attached);
 * the listener only asks.
 *
 * <p>Thread-safety: called on a network event loop for every probe, so it must be thread-safe and
 * must not block. An exception counts as not ready.
 */
@FunctionalInterface
public interface Readiness {
  /** Always ready: for tests and for wiring that has nothing to wait for. */
  Readiness ALWAYS = Optional::empty;

  /** Empty when ready; otherwise why not, in words an operator can act on. */
  Optional<String> notReadyReason();
}
