package io.auditgate.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The fleet as the dashboard and the HTTP API read it: registry, state with causes, telemetry
 * aggregates, events, certificate posture — all from the store's PostgreSQL.
 *
 * <p>Thread-safe: every call takes its own connection (or a pooled one) and holds no state between
 * calls. Every method blocks for its query (a few to a few hundred milliseconds). States are as the
 * {@link FleetStateMonitor} last evaluated them; times ("now", windows) come from the
 * implementation's injected clock.
 *
 * <p>Arguments that violate the documented bounds (for example a bucket of less than a second, or
 * {@code to} before {@code from}) throw {@link IllegalArgumentException}. Unknown ids are not
 * errors: they give {@link Optional#empty()} or empty lists.
 *
 * @throws UnableToReadFleetException from every method when the database cannot be read
 */
public interface FleetReadModel {
  /** Most buckets a series or samples-per-gateway query may ask for. */
  int MAX_BUCKETS = 10_000;

  /**
   * Counts of devices and gateways by state, and telemetry samples in the last {@code window}
   * (minute resolution).
   *
   * @param window 1 s .. 31 days
   */
  FleetSummary summary(Duration window);

  /** A page of devices, filtered and sorted as the query says. */
  Page<DeviceView> devices(DeviceQuery query);

  /**
   * One device with its registry fields, state and cause, connectivity, counters over the last
   * {@code window} and latest readings; empty when the store knows no such device.
   *
   * @param window the window for samples and seq gaps, 1 s .. 31 days
   */
  Optional<DeviceDetail> device(String id, Duration window);

  /** {@link #device(String, Duration)} over the last 24 hours. */
  default Optional<DeviceDetail> device(String id) {
    return device(id, Duration.ofHours(24));
  }

  /**
   * One metric of one device in buckets of {@code bucket} over {@code [from, to)}: read from the
   * hourly or per-minute rollups when {@code bucket} is a whole multiple of their resolution and
   * {@code from} and {@code to} lie on its boundaries, else from the raw points. Buckets are
   * aligned to the Unix epoch; empty buckets are left out.
   *
   * @param bucket ≥ 1 s; {@code (to - from) / bucket} ≤ {@link #MAX_BUCKETS}
   */
  List<SeriesBucket> series(
      String deviceId, String metric, Instant from, Instant to, Duration bucket);

  /** Latest value per device and metric, by device id then metric. */
  List<LatestReading> latestReadings(LatestReadingsQuery query);

  /** A page of gateways by id. */
  Page<GatewayView> gateways(GatewayQuery query);

  /** One gateway with its state and cause, backlog, throughput and latest events. */
  Optional<GatewayDetail> gateway(String id);

  /**
   * Samples per gateway in buckets over {@code [from, to)}, by gateway id; gateways without samples
   * in the range are left out.
   *
   * @param bucket ≥ 1 minute, a whole number of minutes; {@code (to - from) / bucket} ≤ {@link
   *     #MAX_BUCKETS}
   */
  List<GatewaySamples> samplesPerGateway(Instant from, Instant to, Duration bucket);

  /** State changes, gateway events (heartbeats excepted) and connectivity, newest first. */
  Page<FleetEvent> events(EventQuery query);

  /**
   * The device's connectivity timeline over {@code [from, to)}, oldest first: the span open at
   * {@code from} (if any, cut to {@code from}) and every span opened in the range. Ignores
   * disconnects that left the device other connections.
   */
  List<ConnectivitySpan> connectivity(String deviceId, Instant from, Instant to);

  /** Client certificates seen at the listener, as of the clock's now. */
  CertificatePosture certificatePosture();

  /** Every device profile, by name. */
  List<DeviceProfile> profiles();
}
