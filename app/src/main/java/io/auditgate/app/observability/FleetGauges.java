package io.auditgate.app.observability;

import java.util.Map;

/**
 * How many devices and gateways the fleet registry holds in each state, for {@code
 * auditgate_fleet_devices{state=...}} and {@code auditgate_fleet_gateways{state=...}}. The fleet
 * module provides it; until then {@link #NONE} exports nothing.
 *
 * <p>Thread-safety: called on the scrape thread, possibly concurrently; must be thread-safe and
 * answer from a cached count (refreshed by its owner), never by querying the database per scrape.
 */
public interface FleetGauges {
  /** No fleet registry in this process. */
  FleetGauges NONE =
      new FleetGauges() {
        @Override
        public Map<String, Long> devicesByState() {
          return Map.of();
        }

        @Override
        public Map<String, Long> gatewaysByState() {
          return Map.of();
        }
      };

  /**
   * Device counts by state ({@code active}, {@code stale}, {@code offline}, {@code never_seen}).
   */
  Map<String, Long> devicesByState();

  /** Gateway counts by state. */
  Map<String, Long> gatewaysByState();
}
