package io.auditgate.app.observability;

import io.auditgate.fleet.FleetReadModel;
import io.auditgate.fleet.FleetSummary;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link FleetGauges} from the fleet read model's summary, refreshed at most every {@code maxAge}:
 * a scrape within that time answers from the last summary, one after it reads a new one (a single
 * indexed query over the devices and gateways tables). When the store cannot be read, the last
 * counts stay and the failure is logged once per refresh, so a database outage never fails a
 * scrape.
 *
 * <p>Thread-safe: refreshes are serialised; concurrent scrapes wait for the one refreshing.
 */
public final class ReadModelFleetGauges implements FleetGauges {
  private static final Logger log = LoggerFactory.getLogger(ReadModelFleetGauges.class);

  private final FleetReadModel fleet;
  private final Clock clock;
  private final Duration maxAge;
  private Instant readAt; // null until the first read
  private Map<String, Long> devices = Map.of();
  private Map<String, Long> gateways = Map.of();

  public ReadModelFleetGauges(FleetReadModel fleet, Clock clock, Duration maxAge) {
    this.fleet = fleet;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  @Override
  public synchronized Map<String, Long> devicesByState() {
    refreshIfOld();
    return devices;
  }

  @Override
  public synchronized Map<String, Long> gatewaysByState() {
    refreshIfOld();
    return gateways;
  }

  private void refreshIfOld() {
    Instant now = clock.instant();
    if (readAt != null && Duration.between(readAt, now).compareTo(maxAge) < 0) {
      return;
    }
    readAt = now;
    try {
      FleetSummary summary = fleet.summary(Duration.ofMinutes(1));
      FleetSummary.DeviceCounts d = summary.devices();
      Map<String, Long> byDevice = new LinkedHashMap<>();
      byDevice.put("active", d.active());
      byDevice.put("stale", d.stale());
      byDevice.put("offline", d.offline());
      byDevice.put("never_seen", d.neverSeen());
      FleetSummary.GatewayCounts g = summary.gateways();
      Map<String, Long> byGateway = new LinkedHashMap<>();
      byGateway.put("up", g.up());
      byGateway.put("down", g.down());
      byGateway.put("restarted", g.restarted());
      byGateway.put("upstream_interrupted", g.upstreamInterrupted());
      devices = Map.copyOf(byDevice);
      gateways = Map.copyOf(byGateway);
    } catch (RuntimeException e) {
      log.warn("fleet gauges keep their last counts: {}", e.toString());
    }
  }
}
