package io.auditgate.app.observability;

import io.auditgate.app.health.Checks;
import io.auditgate.app.health.DiskSpace;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.ops.HealthCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The readiness checks of a running node, for {@code GET /readyz} on the operations server: the
 * gateway's own (the very list its HTTP ingest's {@code /readyz} evaluates, so both agree) and, for
 * the consumer role, {@code store_reachable}. A consumer-only node checks its disk space too.
 */
public final class HealthChecks {
  private HealthChecks() {}

  /**
   * The checks, in report order; each is thread-safe and answers from state kept up to date by its
   * component, never by connecting.
   */
  public static List<HealthCheck> forNode(Node node, AuditgateConfig config) {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(config, "config");
    List<HealthCheck> checks = new ArrayList<>();
    node.gateway().ifPresent(g -> checks.addAll(g.readinessChecks()));
    if (node.gateway().isEmpty()) {
      checks.add(Checks.diskSpace(new DiskSpace(config.gateway().dataDir()), config.health()));
    }
    node.consumer()
        .ifPresent(
            c ->
                checks.add(
                    Checks.storeReachable(c::metrics, config.health().sinkInterruptedAfter())));
    return List.copyOf(checks);
  }
}
