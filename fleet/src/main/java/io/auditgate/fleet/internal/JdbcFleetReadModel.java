package io.auditgate.fleet.internal;

import io.auditgate.fleet.CertificatePosture;
import io.auditgate.fleet.ConnectivitySpan;
import io.auditgate.fleet.DeviceDetail;
import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceQuery;
import io.auditgate.fleet.DeviceView;
import io.auditgate.fleet.EventQuery;
import io.auditgate.fleet.FleetEvent;
import io.auditgate.fleet.FleetReadModel;
import io.auditgate.fleet.FleetSummary;
import io.auditgate.fleet.GatewayDetail;
import io.auditgate.fleet.GatewayQuery;
import io.auditgate.fleet.GatewaySamples;
import io.auditgate.fleet.GatewayView;
import io.auditgate.fleet.LatestReading;
import io.auditgate.fleet.LatestReadingsQuery;
import io.auditgate.fleet.Page;
import io.auditgate.fleet.SeriesBucket;
import io.auditgate.store.StoreOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The read model over JDBC. Thread-safe: a connection per call. */
public final class JdbcFleetReadModel implements FleetReadModel {
  private final StoreOptions store;
  private final Clock clock;

  public JdbcFleetReadModel(StoreOptions store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public FleetSummary summary(Duration window) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Page<DeviceView> devices(DeviceQuery query) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Optional<DeviceDetail> device(String id, Duration window) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public List<SeriesBucket> series(
      String deviceId, String metric, Instant from, Instant to, Duration bucket) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public List<LatestReading> latestReadings(LatestReadingsQuery query) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Page<GatewayView> gateways(GatewayQuery query) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Optional<GatewayDetail> gateway(String id) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public List<GatewaySamples> samplesPerGateway(Instant from, Instant to, Duration bucket) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public Page<FleetEvent> events(EventQuery query) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public List<ConnectivitySpan> connectivity(String deviceId, Instant from, Instant to) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public CertificatePosture certificatePosture() {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public List<DeviceProfile> profiles() {
    throw new UnsupportedOperationException("in progress");
  }
}
