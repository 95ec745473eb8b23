package io.auditgate.ingest.mqtt;

import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands will messages to the ingest as device events ({@code devices/{id}/events}), the same way a
 * device's own publish would arrive. A will the ingest answers busy is lost and logged: there is no
 * connection left to push back on.
 *
 * <p>Thread-safe.
 */
final class WillPublisher {
  private static final Logger log = LoggerFactory.getLogger(WillPublisher.class);

  private final TelemetryIngest ingest;
  private final Clock clock;
  private final MetricsRecorder metrics;

  WillPublisher(TelemetryIngest ingest, Clock clock, MetricsRecorder metrics) {
    this.ingest = ingest;
    this.clock = clock;
    this.metrics = metrics;
  }

  void publish(DeviceIdentity identity, Will will) {
    IngestRequest request =
        new IngestRequest(
            identity,
            IngestRequest.Transport.MQTT,
            will.topic(),
            will.payload(),
            clock.instant(),
            Optional.empty());
    metrics.willPublished();
    try {
      ingest.ingest(request).whenComplete((result, error) -> report(identity, result, error));
    } catch (RuntimeException e) {
      report(identity, null, e);
    }
  }

  private void report(DeviceIdentity identity, IngestResult result, Throwable error) {
    if (error != null) {
      metrics.unexpectedError();
      log.error("the ingest failed on the will of device {}", identity.deviceId(), error);
    } else if (result instanceof IngestResult.Busy busy) {
      metrics.busy();
      log.warn("the will of device {} was lost: {}", identity.deviceId(), busy.message());
    } else if (result instanceof IngestResult.Rejected rejected) {
      metrics.rejected(rejected.reason().code());
    }
  }
}
