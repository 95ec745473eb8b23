package io.auditgate.controlplane.alerts;

import java.util.Map;

/**
 * A snapshot for gauges: open alerts (raised or acknowledged) per rule, and the webhook outbox.
 *
 * @param openByRule open alerts per rule wire name; every rule is present, zero included
 * @param acknowledged open alerts a person has acknowledged
 * @param undelivered notifications still to be delivered (including those being retried)
 * @param failedDeliveries notifications given up after the maximum attempts
 */
public record AlertCounts(
    Map<String, Long> openByRule, long acknowledged, long undelivered, long failedDeliveries) {
  public AlertCounts {
    openByRule = Map.copyOf(openByRule);
  }

  public long open() {
    return openByRule.values().stream().mapToLong(Long::longValue).sum();
  }
}
