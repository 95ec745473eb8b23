package io.auditgate.app.observability;

import io.auditgate.app.revocation.GatewayRevocation;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.core.ingest.IngestResult.Reason;
import io.auditgate.core.wal.WalMetrics;
import io.auditgate.ingest.auth.CrlRevocationCheck;
import io.auditgate.ingest.bridge.BridgeMetrics;
import io.auditgate.ingest.http.HttpIngestMetrics;
import io.auditgate.ingest.mqtt.MqttMetrics;
import io.auditgate.ingest.pipeline.IngestMetrics;
import io.auditgate.pipeline.SinkMetrics;
import io.auditgate.pipeline.SinkState;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/** The gateway role's metrics: the log, the ingest pipeline, the listeners, the bridge, sinks. */
final class GatewayMetricsBinding {
  private GatewayMetricsBinding() {}

  static void bind(MetricBinder m, Gateway gateway, Clock clock) {
    bindWal(m, gateway);
    bindIngest(m, () -> gateway.pipeline().metrics());
    bindMqtt(m, gateway::mqttMetrics);
    bindHttp(m, gateway::httpMetrics);
    if (gateway.bridgeMetrics().isPresent()) {
      bindBridge(m, () -> gateway.bridgeMetrics().orElseThrow());
    }
    bindSinks(m, gateway::sinkMetrics, clock);
    bindRevocation(m, gateway::revocationMetrics);
    m.gauge(
        "auditgate_gateway_draining",
        "1 once the gateway began draining for shutdown (readiness fails), else 0",
        gateway::draining,
        d -> d ? 1 : 0);
  }

  private static void bindWal(MetricBinder m, Gateway gateway) {
    Supplier<WalMetrics> wal = () -> gateway.wal().metrics();
    m.counter(
        "auditgate_wal_appended_records_total",
        "Records made durable in the write-ahead log",
        wal,
        WalMetrics::appendedRecords);
    m.counter(
        "auditgate_wal_appended_bytes_total",
        "Body bytes made durable in the write-ahead log",
        wal,
        WalMetrics::appendedBytes);
    m.counter(
        "auditgate_wal_batches_total",
        "Group commits (one write and one fsync each)",
        wal,
        WalMetrics::batches);
    m.counter(
        "auditgate_wal_refused_appends_total",
        "Appends the log refused (full, too old, too large, failed, closed)",
        wal,
        WalMetrics::refusedAppends);
    m.counter(
        "auditgate_wal_dropped_records_total",
        "Records dropped by the drop-oldest overflow policy",
        wal,
        WalMetrics::droppedRecords);
    m.counter(
        "auditgate_wal_quarantined_records_total",
        "Records a cursor skipped because they failed their checksum",
        wal,
        WalMetrics::quarantinedRecords);
    m.counter(
        "auditgate_wal_dead_letters_total",
        "Dead letters written to the log",
        wal,
        WalMetrics::deadLetters);
    m.gauge(
        "auditgate_wal_retained_bytes",
        "Bytes in segment files on disk",
        wal,
        WalMetrics::retainedBytes);
    m.gauge("auditgate_wal_segments", "Segment files on disk", wal, WalMetrics::segments);
    m.gauge(
        "auditgate_wal_depth_records",
        "Durable records the slowest sink has not acknowledged",
        () -> gateway.wal().durableEndOffset() - gateway.wal().minAckedOffset(),
        Long::doubleValue);
    m.gauge(
        "auditgate_wal_failed",
        "1 when the log failed (an fsync or write failed) and refuses appends until restarted",
        wal,
        w -> w.failed() ? 1 : 0);
    m.histogram(
        "auditgate_wal_fsync_duration_seconds",
        "Latency of each fsync (force) of the write-ahead log",
        () -> gateway.wal().metrics().forceMicros(),
        1e-6);
    m.histogram(
        "auditgate_wal_commit_batch_records",
        "Records per group commit",
        () -> gateway.wal().metrics().batchRecords(),
        1);
  }

  static void bindIngest(MetricBinder m, Supplier<IngestMetrics.Snapshot> ingest) {
    m.counter(
        "auditgate_ingest_messages_stored_total",
        "Messages made durable, all transports",
        ingest,
        IngestMetrics.Snapshot::stored);
    m.counterByLabel(
        "auditgate_ingest_messages_rejected_total",
        "Messages refused and dead-lettered, by reason code",
        "reason",
        ingest,
        s -> {
          Map<String, Long> byCode = new TreeMap<>();
          s.rejected().forEach((Reason r, Long n) -> byCode.put(r.code(), n));
          return byCode;
        });
    m.counter(
        "auditgate_ingest_messages_busy_total",
        "Messages not stored because the log could not take them (answered busy)",
        ingest,
        IngestMetrics.Snapshot::busy);
    m.counter(
        "auditgate_ingest_received_bytes_total",
        "Body bytes handed to the ingest pipeline",
        ingest,
        IngestMetrics.Snapshot::receivedBytes);
    m.counter(
        "auditgate_ingest_stored_bytes_total",
        "Envelope bytes made durable",
        ingest,
        IngestMetrics.Snapshot::storedBytes);
    m.histogram(
        "auditgate_ingest_durable_latency_seconds",
        "From a transport receiving a message to the message being durable",
        () -> ingest.get().storeMicros(),
        1e-6);
  }

  static void bindRevocation(MetricBinder m, Supplier<GatewayRevocation.Metrics> revocation) {
    m.counterByLabel(
        "auditgate_revocation_sessions_dropped_total",
        "Open sessions closed because their client certificate was revoked"
            + " (reason certificate_revoked), by listener",
        "listener",
        revocation,
        r -> r.sessions().dropped());
    m.counter(
        "auditgate_revocation_crl_fetches_total",
        "CRLs fetched from certificates.revocation.crl_url",
        revocation,
        GatewayRevocation.Metrics::fetches);
    m.counter(
        "auditgate_revocation_crl_fetch_failures_total",
        "CRL fetches that failed or brought a CRL that does not parse",
        revocation,
        GatewayRevocation.Metrics::fetchFailures);
    m.gauge(
        "auditgate_revocation_crl_number",
        "cRLNumber of the CRL the listeners enforce (0 when none is loaded)",
        revocation,
        r -> r.loaded().map(l -> l.number().doubleValue()).orElse(0.0));
    m.gauge(
        "auditgate_revocation_crl_next_update_seconds",
        "nextUpdate of the enforced CRL, Unix seconds (0 when none is loaded)",
        revocation,
        r ->
            r.loaded()
                .flatMap(CrlRevocationCheck.Loaded::nextUpdate)
                .map(t -> (double) t.getEpochSecond())
                .orElse(0.0));
  }

  static void bindMqtt(MetricBinder m, Supplier<MqttMetrics> mqtt) {
    m.gauge(
        "auditgate_mqtt_connections_open",
        "TCP connections open to the MQTT listener",
        mqtt,
        MqttMetrics::connectionsOpen);
    m.gauge(
        "auditgate_mqtt_clients_connected",
        "MQTT clients connected (CONNACK 0)",
        mqtt,
        MqttMetrics::clientsConnected);
    m.counter(
        "auditgate_mqtt_connections_total",
        "TCP connections accepted",
        mqtt,
        MqttMetrics::connectionsTotal);
    m.counterByLabel(
        "auditgate_mqtt_connections_refused_total",
        "Connections that never became clients, by reason",
        "reason",
        mqtt,
        MqttMetrics::connectionsRefused);
    m.counterByLabel(
        "auditgate_mqtt_connections_closed_total",
        "Clients' connections that ended, by reason",
        "reason",
        mqtt,
        MqttMetrics::connectionsClosed);
    m.counterByLabel(
        "auditgate_mqtt_publishes_total",
        "PUBLISH packets received, by QoS",
        "qos",
        mqtt,
        s -> Map.of("0", s.publishesQos0(), "1", s.publishesQos1(), "2", s.publishesQos2()));
    simple(
        m,
        mqtt,
        "auditgate_mqtt_qos2_duplicates_total",
        "QoS 2 resends recognised",
        s -> s.duplicatesQos2());
    simple(
        m,
        mqtt,
        "auditgate_mqtt_acks_sent_total",
        "PUBACK, PUBREC and PUBCOMP sent",
        s -> s.acksSent());
    m.counterByLabel(
        "auditgate_mqtt_rejects_total",
        "Publishes not stored, by reason code",
        "reason",
        mqtt,
        MqttMetrics::rejects);
    simple(
        m,
        mqtt,
        "auditgate_mqtt_violations_total",
        "Publishes and subscriptions outside the device's own topics",
        s -> s.violations());
    simple(m, mqtt, "auditgate_mqtt_busy_total", "Publishes answered busy", s -> s.busyEvents());
    simple(m, mqtt, "auditgate_mqtt_received_bytes_total", "MQTT bytes received", s -> s.bytesIn());
    simple(
        m,
        mqtt,
        "auditgate_mqtt_wills_published_total",
        "Will messages stored",
        s -> s.willsPublished());
    simple(
        m,
        mqtt,
        "auditgate_mqtt_connectivity_events_lost_total",
        "Connected/disconnected events the log could not store",
        s -> s.connectivityEventsLost());
    simple(
        m,
        mqtt,
        "auditgate_mqtt_commands_sent_total",
        "Commands written to devices",
        s -> s.commandsSent());
    simple(
        m,
        mqtt,
        "auditgate_mqtt_unexpected_errors_total",
        "Unexpected exceptions in the connection handler",
        s -> s.unexpectedErrors());
  }

  private static <T> void simple(
      MetricBinder m, Supplier<T> snapshot, String name, String help, ToDoubleFunction<T> value) {
    m.counter(name, help, snapshot, value);
  }

  static void bindHttp(MetricBinder m, Supplier<HttpIngestMetrics> http) {
    m.counterByLabel(
        "auditgate_http_responses_total",
        "HTTPS ingest responses, by status code",
        "status",
        http,
        s -> {
          Map<String, Long> byStatus = new TreeMap<>();
          s.responsesByStatus().forEach((status, n) -> byStatus.put(Integer.toString(status), n));
          return byStatus;
        });
    simple(
        m,
        http,
        "auditgate_http_received_bytes_total",
        "Request body bytes read",
        s -> s.bodyBytesReceived());
    simple(
        m,
        http,
        "auditgate_http_messages_stored_total",
        "Messages stored via HTTPS",
        s -> s.messagesStored());
    simple(
        m,
        http,
        "auditgate_http_messages_rejected_total",
        "Messages refused for what they are (400/403/413)",
        s -> s.messagesRejected());
    simple(m, http, "auditgate_http_busy_total", "Messages answered 503 busy", s -> s.busy());
    simple(
        m,
        http,
        "auditgate_http_rate_limited_total",
        "Requests refused by the per-device rate limit (429)",
        s -> s.rateLimited());
    simple(
        m,
        http,
        "auditgate_http_auth_failures_total",
        "Requests refused 401",
        s -> s.authFailures());
    m.gauge(
        "auditgate_http_connections_open",
        "Connections open to the HTTPS ingest listener",
        http,
        HttpIngestMetrics::openConnections);
    simple(
        m,
        http,
        "auditgate_http_connections_refused_total",
        "Connections closed at accept (max_connections)",
        s -> s.refusedConnections());
    simple(
        m,
        http,
        "auditgate_http_tls_handshake_failures_total",
        "TLS handshakes that failed",
        s -> s.tlsHandshakeFailures());
    simple(
        m,
        http,
        "auditgate_http_certificate_events_total",
        "certificate_presented device events handed to the log",
        s -> s.certificateEventsSent());
    simple(
        m,
        http,
        "auditgate_http_certificate_events_skipped_total",
        "Client certificates presented again within the interval, not logged again",
        s -> s.certificateEventsSkipped());
    simple(
        m,
        http,
        "auditgate_http_certificate_events_lost_total",
        "certificate_presented device events the log could not store",
        s -> s.certificateEventsLost());
  }

  static void bindBridge(MetricBinder m, Supplier<BridgeMetrics> bridge) {
    simple(
        m,
        bridge,
        "auditgate_bridge_received_messages_total",
        "Messages the site broker delivered to the bridge",
        s -> s.received());
    m.counterByLabel(
        "auditgate_bridge_messages_total",
        "Bridged messages by what became of them",
        "outcome",
        bridge,
        s ->
            Map.of(
                "stored", s.stored(),
                "rejected", s.rejected(),
                "busy", s.busy(),
                "failed", s.failed(),
                "deferred", s.deferred()));
    simple(m, bridge, "auditgate_bridge_pauses_total", "Pauses for backpressure", s -> s.pauses());
    simple(m, bridge, "auditgate_bridge_reconnects_total", "Reconnections", s -> s.reconnects());
    simple(
        m,
        bridge,
        "auditgate_bridge_connect_failures_total",
        "Failed connection attempts",
        s -> s.connectFailures());
    m.gauge(
        "auditgate_bridge_connected",
        "1 when connected and subscribed to the site broker",
        bridge,
        s -> s.connected() ? 1 : 0);
  }

  static void bindSinks(MetricBinder m, Supplier<Map<String, SinkMetrics>> sinks, Clock clock) {
    m.gaugeByLabel(
        "auditgate_sink_backlog_records",
        "Durable records the sink has not acknowledged",
        "sink",
        sinks,
        all -> per(all, SinkMetrics::backlogRecords));
    m.gaugeByLabel(
        "auditgate_sink_backlog_bytes",
        "Estimated body bytes of the backlog (records times mean size)",
        "sink",
        sinks,
        all -> per(all, SinkMetrics::backlogBytesEstimate));
    m.gaugeByLabel(
        "auditgate_sink_oldest_unsent_age_seconds",
        "Age of the oldest record not yet delivered; 0 when nothing waits",
        "sink",
        sinks,
        all -> per(all, s -> s.oldestUnsentAge().toMillis() / 1000.0));
    m.counterByLabel(
        "auditgate_sink_delivered_records_total",
        "Records the sink accepted",
        "sink",
        sinks,
        all -> per(all, SinkMetrics::deliveredRecords));
    m.counterByLabel(
        "auditgate_sink_delivered_bytes_total",
        "Body bytes the sink accepted",
        "sink",
        sinks,
        all -> per(all, SinkMetrics::deliveredBytes));
    m.counterByLabel(
        "auditgate_sink_retries_total",
        "Failed delivery attempts, each followed by a backoff",
        "sink",
        sinks,
        all -> per(all, SinkMetrics::retries));
    m.counterByLabel(
        "auditgate_sink_dead_letters_total",
        "Records the sink rejected permanently",
        "sink",
        sinks,
        all -> per(all, SinkMetrics::deadLetters));
    m.gaugeByLabel(
        "auditgate_sink_interrupted",
        "1 while the sink's deliveries fail, else 0",
        "sink",
        sinks,
        all -> per(all, s -> s.interrupted() ? 1 : 0));
    m.gaugeByLabel(
        "auditgate_sink_interrupted_seconds",
        "How long the sink has been interrupted; 0 while delivering",
        "sink",
        sinks,
        all -> per(all, s -> interruptedSeconds(s, clock)));
  }

  static double interruptedSeconds(SinkMetrics s, Clock clock) {
    if (s.state() instanceof SinkState.Interrupted i) {
      return Math.max(0, Duration.between(i.since(), clock.instant()).toMillis() / 1000.0);
    }
    return 0;
  }

  private static Map<String, Double> per(
      Map<String, SinkMetrics> all, ToDoubleFunction<SinkMetrics> value) {
    Map<String, Double> out = new TreeMap<>();
    all.forEach((name, s) -> out.put(name, value.applyAsDouble(s)));
    return out;
  }
}
