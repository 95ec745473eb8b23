/**
 * The HTTPS ingest listener ({@link io.auditgate.ingest.http.HttpIngestServer}), on Netty.
 *
 * <p>Design notes, where the contract left a choice:
 *
 * <ul>
 *   <li><b>202 means durable.</b> The answer waits for {@code TelemetryIngest} to complete with
 *       {@code Stored}; nothing is acknowledged earlier. An ingest that does not answer within the
 *       idle timeout gets the device a 503 (resend; the idempotency key absorbs a duplicate).
 *   <li><b>Batches</b> ({@code POST /v1/ingest/{deviceId}/batch}) answer 200 with one result per
 *       item, each carrying the status and body the single endpoint would have given, rather than
 *       "202 only if all stored": a device learns exactly which items to resend. 503 with {@code
 *       Retry-After} only when the first item is busy and nothing was stored. Items go to the
 *       ingest in order without waiting for each force, so a batch shares group commits; the batch
 *       stops at an item refused as busy, so what was stored is a prefix.
 *   <li><b>Rejections</b> are 400 with the reason code, except {@code payload_too_large} (413) and
 *       {@code wrong_device} (403), where HTTP has the more precise word.
 *   <li><b>429</b> comes from an optional per-device token bucket ({@code
 *       device_requests_per_second}, off by default); a batch is one request. 503 stays the answer
 *       for a full or failed log, which is the gateway's problem rather than the device's.
 *   <li><b>Credentials</b>: every credential presented must verify (a bad token beside a good
 *       certificate is 401), and a certificate and a token must name the same device.
 *   <li><b>TLS</b> 1.3 and 1.2 only, whatever the context enables; plaintext only when {@code
 *       plaintext_allowed} is set.
 *   <li><b>Client certificates are sightings</b>: a device that authenticates with one is logged as
 *       a {@code certificate_presented} device event ({@code CertificateEvents}), at most once per
 *       TLS connection and once per 10 minutes per (device, certificate), never as a connect: HTTP
 *       has no session.
 * </ul>
 */
package io.auditgate.ingest.http;
