package io.auditgate.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.TelemetryIngest;
import java.time.Clock;

/** What every connection of one listener shares; all of it thread-safe. */
record ListenerContext(
    HttpIngestConfig config,
    DeviceAuthenticator authenticator,
    TelemetryIngest ingest,
    Readiness readiness,
    Clock clock,
    MetricsRecorder metrics,
    DeviceRateLimiter rateLimiter,
    CertificateEvents certificateEvents,
    JsonNode openApi) {

  long maxBodyBytes() {
    return config.maxBodySize().bytes();
  }
}
