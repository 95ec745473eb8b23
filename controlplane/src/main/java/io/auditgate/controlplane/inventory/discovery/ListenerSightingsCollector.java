package io.auditgate.controlplane.inventory.discovery;

import io.auditgate.certs.x509.CertificateFacts;
import io.auditgate.certs.x509.DecodedCertificate;
import io.auditgate.controlplane.internal.inventory.ConnectivityFeed;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.store.StoreOptions;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the client certificates the listeners saw (MQTT {@code connected} and HTTPS {@code
 * certificate_presented} events in {@code device_connectivity} that carry the leaf's DER,
 * migrations V51 and V55) into inventory sightings: source {@code listener_mqtt} (or {@code
 * listener_https} for protocol {@code https}), location {@code <protocol>@<gateway id>}, the
 * device, the time of the connect. Reads new rows after a watermark (the last row id handled, kept
 * in {@code certificate_collector_watermarks}) in batches.
 *
 * <p>At least once: a crash between recording a batch and moving the watermark records that batch
 * again (its sightings' counts move twice; rows stay one per certificate, source, location and
 * device). A row whose DER does not parse, or does not match the fingerprint the listener wrote, is
 * skipped with a warning.
 *
 * <p>Not thread-safe: one collector per database, called from one thread; {@link #collectOnce}
 * blocks on the database.
 */
public final class ListenerSightingsCollector {
  public static final String NAME = "listener_sightings";
  private static final Logger log = LoggerFactory.getLogger(ListenerSightingsCollector.class);

  private final CertificateInventory inventory;
  private final ConnectivityFeed feed;
  private final int batchSize;

  public ListenerSightingsCollector(
      CertificateInventory inventory, StoreOptions store, int batchSize) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.feed = new ConnectivityFeed(Objects.requireNonNull(store, "store"), NAME);
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batchSize must be 1..10000, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /**
   * Handles every connect row after the watermark, batch by batch, and returns how many sightings
   * it recorded.
   */
  public int collectOnce() {
    int recorded = 0;
    while (true) {
      List<ConnectivityFeed.Connect> batch = feed.next(batchSize);
      if (batch.isEmpty()) {
        return recorded;
      }
      for (ConnectivityFeed.Connect row : batch) {
        if (record(row)) {
          recorded++;
        }
      }
      feed.advance(batch.get(batch.size() - 1));
      if (batch.size() < batchSize) {
        return recorded;
      }
    }
  }

  private boolean record(ConnectivityFeed.Connect row) {
    if (!(DecodedCertificate.der(row.der()) instanceof DecodedCertificate.Certificate c)) {
      log.warn("connect row {} carries a certificate that does not parse; skipped", row.id());
      return false;
    }
    String sha256 = CertificateFacts.of(c.certificate()).sha256();
    if (row.claimedSha256().isPresent() && !row.claimedSha256().get().equals(sha256)) {
      log.warn("connect row {}: the DER does not match its fingerprint; skipped", row.id());
      return false;
    }
    SourceKind source =
        row.protocol().startsWith("http") ? SourceKind.LISTENER_HTTPS : SourceKind.LISTENER_MQTT;
    Optional<String> device =
        Telemetry.isDeviceId(row.deviceId()) ? Optional.of(row.deviceId()) : Optional.empty();
    inventory.record(
        List.of(c.certificate()),
        new Sighting(
            source,
            row.protocol() + "@" + row.gatewayId(),
            device,
            row.at(),
            Map.of("client_id", row.clientId())));
    return true;
  }
}
