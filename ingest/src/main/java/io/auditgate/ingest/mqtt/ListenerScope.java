package io.auditgate.ingest.mqtt;

import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.ingest.TelemetryIngest;
import java.time.Clock;

/**
 * What every connection of one listener shares. A record, so that a connection's dependencies are
 * visible in one place rather than threaded through constructors one by one.
 */
record ListenerScope(
    MqttConfig config,
    ConnectPolicy connectPolicy,
    TelemetryIngest ingest,
    Clock clock,
    MetricsRecorder metrics,
    SessionStore sessions,
    ConnectionRegistry registry,
    ConnectionGate gate,
    WillPublisher wills,
    ConnectivityEvents connectivity) {}
