package io.auditgate.fleet;

import java.util.Set;

/**
 * Which latest readings to return: by device id, then metric.
 *
 * @param deviceIds empty for every device
 * @param metrics empty for every metric (for example {@code temp_c, humidity, pressure_hpa})
 * @param limit readings (not devices), 1..1000
 */
public record LatestReadingsQuery(Set<String> deviceIds, Set<String> metrics, int limit) {
  public LatestReadingsQuery {
    deviceIds = Set.copyOf(deviceIds);
    metrics = Set.copyOf(metrics);
    Values.limit(limit);
  }

  public static LatestReadingsQuery of(Set<String> metrics) {
    return new LatestReadingsQuery(Set.of(), metrics, Values.MAX_LIMIT);
  }
}
