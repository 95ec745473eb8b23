package io.auditgate.ingest.http;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A snapshot of the HTTPS listener's counters, all since it was created. Counters are read one by
 * one, so a snapshot taken under load may be off by the requests in flight.
 *
 * @param responses responses written, every status included
 * @param responsesByStatus responses written by status code, ascending
 * @param bodyBytesReceived request body bytes read (also those of refused requests)
 * @param messagesStored messages the ingest stored durably (a batch counts each item)
 * @param messagesRejected messages the ingest refused for what they are (400/403/413 items)
 * @param busy messages answered busy because the log could not store them (503)
 * @param rateLimited requests refused by the per-device rate limit (429)
 * @param authFailures requests refused because their credentials were missing, wrong or conflicting
 *     (401); requests for another device's path (403) are under {@code responsesByStatus}
 * @param openConnections connections open now
 * @param refusedConnections connections closed on accept because {@code max_connections} were open
 * @param tlsHandshakeFailures TLS handshakes that failed (old protocol, untrusted client
 *     certificate, no common cipher, garbage)
 * @param certificateEventsSent {@code certificate_presented} device events handed to the log (a
 *     device authenticated with a client certificate not reported within the interval)
 * @param certificateEventsSkipped certificates presented again within the interval, not reported
 * @param certificateEventsLost {@code certificate_presented} events the log did not store (full,
 *     failed or refused); the request was served all the same
 */
public record HttpIngestMetrics(
    long responses,
    Map<Integer, Long> responsesByStatus,
    long bodyBytesReceived,
    long messagesStored,
    long messagesRejected,
    long busy,
    long rateLimited,
    long authFailures,
    long openConnections,
    long refusedConnections,
    long tlsHandshakeFailures,
    long certificateEventsSent,
    long certificateEventsSkipped,
    long certificateEventsLost) {

  public HttpIngestMetrics {
    Objects.requireNonNull(responsesByStatus, "responsesByStatus");
    responsesByStatus = Collections.unmodifiableMap(new TreeMap<>(responsesByStatus));
  }

  /** Responses written with {@code status}; 0 if none. */
  public long responsesWith(int status) {
    return responsesByStatus.getOrDefault(status, 0L);
  }
}
