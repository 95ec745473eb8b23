package io.auditgate.app.runtime;

import io.auditgate.certs.x509.CertificateFiles;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.discovery.EndpointScanSchedule;
import io.auditgate.controlplane.inventory.discovery.ListenerSightingsCollector;
import io.auditgate.controlplane.inventory.discovery.TlsEndpoint;
import io.auditgate.controlplane.inventory.discovery.TlsEndpointScanner;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateInventoryConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.CertificateEventsApi;
import io.auditgate.web.api.CertificatesApi;
import io.auditgate.web.http.Route;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate inventory as a node with a store runs it: the inventory over the node's store,
 * its read API for the web server, the listener sightings collector every {@code
 * certificates.inventory.listener_sightings_interval}, and the scheduled scans of {@code
 * certificates.inventory.scan_endpoints}. Trust anchors: {@code
 * certificates.inventory.trust_anchors} and the listeners' client CA bundle ({@code
 * tls.client_ca_bundle}), the CA device certificates chain to. Revocation is {@link
 * RevocationView#NONE} until the revocation component is wired in ({@link #start}'s {@code
 * revocations}).
 */
public final class CertificateInventoryRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateInventoryRuntime.class);

  private final CertificateInventory inventory;
  private final TlsEndpointScanner scanner;
  private final ScheduledExecutorService collector;
  private final Optional<EndpointScanSchedule> scans;
  private final StoreOptions store;

  private CertificateInventoryRuntime(
      StoreOptions store,
      CertificateInventory inventory,
      TlsEndpointScanner scanner,
      ScheduledExecutorService collector,
      Optional<EndpointScanSchedule> scans) {
    this.store = store;
    this.inventory = inventory;
    this.scanner = scanner;
    this.collector = collector;
    this.scans = scans;
  }

  /** Starts the collector and the scans; the inventory is ready for {@link #routes()}. */
  public static CertificateInventoryRuntime start(
      AuditgateConfig config, StoreOptions store, Clock clock, RevocationView revocations) {
    return start(config, store, clock, revocations, List.of());
  }

  /**
   * The same, with {@code moreAnchors} trusted besides the configured ones (the root of the CA the
   * node runs).
   */
  public static CertificateInventoryRuntime start(
      AuditgateConfig config,
      StoreOptions store,
      Clock clock,
      RevocationView revocations,
      List<X509Certificate> moreAnchors) {
    CertificateInventoryConfig c = config.certificates().inventory();
    List<X509Certificate> anchors = new ArrayList<>(moreAnchors);
    for (String file : c.trustAnchors()) {
      read(Path.of(file), "certificates.inventory.trust_anchors", anchors);
    }
    if (config.tls() != null && config.tls().clientCaBundle() != null) {
      read(config.tls().clientCaBundle(), "tls.client_ca_bundle", anchors);
    }
    CertificateInventory inventory =
        Inventories.jdbc(
            store,
            clock,
            revocations,
            anchors,
            new InventoryPolicy(c.expiryWindowDays(), c.maxAge()));
    ListenerSightingsCollector sightings = new ListenerSightingsCollector(inventory, store, 500);
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "certificate-listener-sightings");
              t.setDaemon(true);
              return t;
            });
    long every = c.listenerSightingsInterval().toMillis();
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            sightings.collectOnce();
          } catch (RuntimeException e) {
            log.warn("listener sightings not collected this time: {}", e.toString());
          }
        },
        every,
        every,
        TimeUnit.MILLISECONDS);
    TlsEndpointScanner scanner = new TlsEndpointScanner(inventory, store, clock, c.scanTimeout());
    Optional<EndpointScanSchedule> scans = Optional.empty();
    if (!c.scanEndpoints().isEmpty()) {
      List<TlsEndpoint> endpoints =
          c.scanEndpoints().stream().map(e -> TlsEndpoint.parse(e).orElseThrow()).toList();
      scans = Optional.of(EndpointScanSchedule.start(scanner, endpoints, c.scanInterval()));
    }
    log.info(
        "certificate inventory: {} trust anchors, {} endpoints to scan",
        anchors.size(),
        c.scanEndpoints().size());
    return new CertificateInventoryRuntime(store, inventory, scanner, executor, scans);
  }

  private static void read(Path file, String key, List<X509Certificate> into) {
    CertificateFiles.Result r = CertificateFiles.read(file, Optional.empty());
    if (r instanceof CertificateFiles.Result.Refused refused) {
      throw new ConfigException(key, file + ": " + refused.message());
    }
    into.addAll(((CertificateFiles.Result.Read) r).certificates());
  }

  public CertificateInventory inventory() {
    return inventory;
  }

  /** The inventory's API, on-demand scans included, and each certificate's timeline. */
  public List<Route> routes() {
    List<Route> routes =
        new ArrayList<>(new CertificatesApi(inventory, Optional.of(scanner)).routes());
    routes.addAll(new CertificateEventsApi(inventory, new CertificateEventLog(store)).routes());
    return routes;
  }

  @Override
  public void close() {
    scans.ifPresent(EndpointScanSchedule::close);
    collector.shutdownNow();
    try {
      collector.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inventory.close();
  }
}
