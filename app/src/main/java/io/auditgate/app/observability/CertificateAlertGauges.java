package io.auditgate.app.observability;

import io.auditgate.controlplane.alerts.AlertCounts;
import io.auditgate.controlplane.alerts.AlertRule;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate alert counts for gauges, read at most every {@code maxAge} (two small queries): a
 * scrape within that time answers from the last counts. When the store cannot be read the last
 * counts stay (every rule at zero before the first read) and the failure is logged, so a database
 * outage never fails a scrape.
 *
 * <p>Thread-safe: refreshes are serialised.
 */
public final class CertificateAlertGauges implements Supplier<AlertCounts> {
  private static final Logger log = LoggerFactory.getLogger(CertificateAlertGauges.class);

  private final Supplier<AlertCounts> counts;
  private final Clock clock;
  private final Duration maxAge;
  private Instant readAt; // null until the first read
  private AlertCounts last = zero();

  public CertificateAlertGauges(Supplier<AlertCounts> counts, Clock clock, Duration maxAge) {
    this.counts = counts;
    this.clock = clock;
    this.maxAge = maxAge;
  }

  @Override
  public synchronized AlertCounts get() {
    Instant now = clock.instant();
    if (readAt == null || Duration.between(readAt, now).compareTo(maxAge) >= 0) {
      readAt = now;
      try {
        last = counts.get();
      } catch (RuntimeException e) {
        log.warn("certificate alert gauges keep their last counts: {}", e.toString());
      }
    }
    return last;
  }

  private static AlertCounts zero() {
    Map<String, Long> open = new LinkedHashMap<>();
    for (AlertRule rule : AlertRule.values()) {
      open.put(rule.wireName(), 0L);
    }
    return new AlertCounts(open, 0, 0, 0);
  }
}
