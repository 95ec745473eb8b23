/**
 * The transport-independent ingest path: {@link io.auditgate.ingest.pipeline.IngestPipeline} (the
 * one {@link io.auditgate.core.ingest.TelemetryIngest}), the envelope the log stores and Kafka
 * receives ({@link io.auditgate.envelope.EnvelopeCodec}), its counters ({@link
 * io.auditgate.ingest.pipeline.IngestMetrics}) and per-device sequence evidence ({@link
 * io.auditgate.ingest.pipeline.SeqTracker}).
 *
 * <p>Design notes. The envelope is the seed's ({@code schema, source_topic, device_id, gateway_id,
 * seq, trace_id, received_at, payload}) plus {@code device_time, metrics, tags}, {@code transport}
 * (how the device reached the gateway: evidence) and {@code format} (how to read {@code payload}).
 * What {@link io.auditgate.core.telemetry.Telemetry} does not carry (schema, transport) travels
 * beside it in {@link io.auditgate.envelope.Envelope}, so the shared record did not change shape
 * under the transports being written against it.
 */
package io.auditgate.ingest.pipeline;
