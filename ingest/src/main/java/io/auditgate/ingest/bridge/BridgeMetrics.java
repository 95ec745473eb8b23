package io.auditgate.ingest.bridge;

/**
 * A snapshot of the bridge's counters since it was created. Every message the broker delivered is
 * counted once in {@code received} and, once ingest answered, once in {@code stored}, {@code
 * rejected}, {@code busy} or {@code failed}; a message the broker delivers again is counted again.
 *
 * @param received messages delivered by the broker and handed to ingest
 * @param stored durable in the log, then acknowledged to the broker
 * @param rejected dead-lettered by ingest, then acknowledged to the broker
 * @param busy not stored because the log could not take them; left unacknowledged
 * @param failed ingest failed unexpectedly; left unacknowledged
 * @param deferred delivered after the bridge had begun to pause; left unacknowledged without being
 *     handed to ingest, for the broker to deliver again
 * @param pauses times the bridge disconnected to wait for ingest to take messages again
 * @param reconnects connections established after the first one (outages and pauses alike)
 * @param connectFailures connection attempts that failed
 * @param connected whether the bridge is connected and subscribed now
 * @param receiveMaximum the receive maximum the bridge announces now: the configured one, or more
 *     after a broker overran it
 */
public record BridgeMetrics(
    long received,
    long stored,
    long rejected,
    long busy,
    long failed,
    long deferred,
    long pauses,
    long reconnects,
    long connectFailures,
    boolean connected,
    int receiveMaximum) {}
