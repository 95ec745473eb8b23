package io.auditgate.app.observability;

import io.auditgate.app.health.DiskSpace;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.Node;
import io.auditgate.controlplane.alerts.AlertCounts;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.ops.MetricsExposition;
import io.auditgate.store.StoreConsumer;
import io.auditgate.web.tokens.FailedTokenAttempts;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The process's metrics in the Prometheus text format (0.0.4), every value read from the
 * components' snapshots when scraped: nothing is counted twice and nothing is added to the data
 * path. Names are {@code auditgate_*} with the unit in the name; labels are low-cardinality codes
 * (sink, reason, status, state), never device ids. The list with meanings is in
 * docs/observability.md.
 *
 * <p>Thread-safety: {@link #writeTo} may be called concurrently; each call scrapes on the caller's
 * thread and does not block on the data path (snapshots are lock-free or take short locks).
 */
public final class PrometheusMetrics implements MetricsExposition {
  private final PrometheusRegistry registry;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private PrometheusMetrics(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /**
   * The metrics of every role {@code node} runs, the JVM's, the data directory's disk space, the
   * listeners' certificate expiry, and the fleet counts.
   *
   * @param config the configuration the node was started with
   * @param clock the time certificate expiry and sink interruption are measured against
   * @param fleet the fleet registry's counts, or {@link FleetGauges#NONE}
   */
  public static PrometheusMetrics forNode(
      Node node, AuditgateConfig config, Clock clock, FleetGauges fleet) {
    Objects.requireNonNull(node, "node");
    return withCertificateAlerts(
        node,
        build(node.gateway(), node.consumer(), config, clock, fleet, Optional.empty()),
        clock);
  }

  /**
   * The same, with the web server's failed token attempts ({@code
   * auditgate_web_token_attempts_*_total}).
   */
  public static PrometheusMetrics forNode(
      Node node,
      AuditgateConfig config,
      Clock clock,
      FleetGauges fleet,
      FailedTokenAttempts tokenAttempts) {
    Objects.requireNonNull(node, "node");
    return withCertificateAlerts(
        node,
        build(node.gateway(), node.consumer(), config, clock, fleet, Optional.of(tokenAttempts)),
        clock);
  }

  /** The certificate alert gauges, when the node runs the certificate control plane. */
  private static PrometheusMetrics withCertificateAlerts(
      Node node, PrometheusMetrics metrics, Clock clock) {
    node.certificateControlPlane()
        .ifPresent(
            cp ->
                bindCertificateAlerts(
                    new MetricBinder(metrics.registry),
                    new CertificateAlertGauges(cp::alertCounts, clock, ALERT_GAUGES_MAX_AGE)));
    return metrics;
  }

  /** The same for a gateway started on its own (tests, tools). */
  public static PrometheusMetrics forGateway(
      Gateway gateway, AuditgateConfig config, Clock clock, FleetGauges fleet) {
    return build(Optional.of(gateway), Optional.empty(), config, clock, fleet, Optional.empty());
  }

  private static PrometheusMetrics build(
      Optional<Gateway> gateway,
      Optional<StoreConsumer> consumer,
      AuditgateConfig config,
      Clock clock,
      FleetGauges fleet,
      Optional<FailedTokenAttempts> tokenAttempts) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(fleet, "fleet");
    PrometheusRegistry registry = new PrometheusRegistry();
    MetricBinder m = new MetricBinder(registry);
    gateway.ifPresent(g -> GatewayMetricsBinding.bind(m, g, clock));
    if (gateway.isPresent()) {
      long capacity = config.wal().maxTotalSize().bytes();
      m.gauge(
          "auditgate_wal_capacity_bytes",
          "wal.max_total_size: the log refuses (or drops) beyond this many bytes",
          () -> capacity,
          Long::doubleValue);
    }
    consumer.ifPresent(
        c -> StoreConsumerMetricsBinding.bind(m, config.consumer().groupId(), c::metrics));
    bindFleet(m, fleet);
    tokenAttempts.ifPresent(a -> bindTokenAttempts(m, a));
    bindDisk(m, new DiskSpace(config.gateway().dataDir()));
    if (config.tls() != null) {
      bindCertificate(m, CertificateExpiry.notAfter(config.tls().certificateChain()), clock);
    }
    JvmMetrics.builder().register(registry);
    return new PrometheusMetrics(registry);
  }

  /** The alert counts are re-read at most this often, whatever the scrape interval. */
  private static final java.time.Duration ALERT_GAUGES_MAX_AGE = java.time.Duration.ofSeconds(15);

  static void bindCertificateAlerts(MetricBinder m, Supplier<AlertCounts> counts) {
    m.gaugeByLabel(
        "auditgate_certificate_alerts_open",
        "Certificate alerts open (raised or acknowledged), by rule",
        "rule",
        counts,
        AlertCounts::openByRule);
    m.gauge(
        "auditgate_certificate_alerts_acknowledged",
        "Open certificate alerts a person has acknowledged",
        counts,
        c -> (double) c.acknowledged());
    m.gauge(
        "auditgate_certificate_alert_notifications_undelivered",
        "Certificate alert webhook notifications not yet delivered (including those being retried)",
        counts,
        c -> (double) c.undelivered());
    m.gauge(
        "auditgate_certificate_alert_notifications_failed",
        "Certificate alert webhook notifications given up after certificates.alerts.webhook"
            + ".max_attempts",
        counts,
        c -> (double) c.failedDeliveries());
  }

  private static void bindFleet(MetricBinder m, FleetGauges fleet) {
    m.gaugeByLabel(
        "auditgate_fleet_devices",
        "Devices in the fleet registry, by connectivity state",
        "state",
        () -> fleet,
        FleetGauges::devicesByState);
    m.gaugeByLabel(
        "auditgate_fleet_gateways",
        "Gateways in the fleet registry, by state",
        "state",
        () -> fleet,
        FleetGauges::gatewaysByState);
  }

  private static void bindTokenAttempts(MetricBinder m, FailedTokenAttempts attempts) {
    m.counter(
        "auditgate_web_token_attempts_failed_total",
        "Requests to the web server whose token (or Authorization header) authenticated nothing",
        attempts::metrics,
        FailedTokenAttempts.Snapshot::failedAttempts);
    m.counter(
        "auditgate_web_token_attempts_refused_total",
        "Requests answered 429 too_many_failed_attempts, their token unchecked, because their"
            + " address failed too often (web.max_failed_token_attempts)",
        attempts::metrics,
        FailedTokenAttempts.Snapshot::refusedAttempts);
  }

  private static void bindDisk(MetricBinder m, DiskSpace disk) {
    m.gaugeByLabel(
        "auditgate_disk_free_bytes",
        "Bytes free for this process on the file system of the data directory",
        "dir",
        disk::usage,
        u -> u.map(x -> Map.of("data", x.freeBytes())).orElse(Map.of()));
    m.gaugeByLabel(
        "auditgate_disk_size_bytes",
        "Size of the file system of the data directory",
        "dir",
        disk::usage,
        u -> u.map(x -> Map.of("data", x.totalBytes())).orElse(Map.of()));
  }

  private static void bindCertificate(MetricBinder m, Optional<Instant> notAfter, Clock clock) {
    m.gaugeByLabel(
        "auditgate_certificate_expiry_seconds",
        "Seconds until the listeners' server certificate expires (negative once expired)",
        "certificate",
        () -> notAfter,
        n ->
            n.map(
                    at ->
                        Map.of(
                            "listener", Duration.between(clock.instant(), at).toMillis() / 1000.0))
                .orElse(Map.of()));
  }

  @Override
  public String contentType() {
    return writer.getContentType();
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
