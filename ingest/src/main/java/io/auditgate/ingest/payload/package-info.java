/**
 * Message bodies into {@link io.auditgate.core.telemetry.Telemetry}, or a reason code and a
 * message: the seed's JSON and SenML (RFC 8428) for telemetry, one JSON object for events.
 *
 * <p>Design notes. Every body is parsed whole into a tree by Jackson under hard limits ({@link
 * io.auditgate.envelope.BoundedJson}): the 64KiB body limit bounds memory, the depth limit bounds
 * the stack, and bad input of any kind is a {@link io.auditgate.ingest.payload.Decoding}, never an
 * exception; a jqwik property feeds random and mutated bodies to hold that. Numbers are kept as
 * exact decimals until they become metrics, so a {@code payload} reaches Kafka with the digits the
 * device sent. SenML is projected onto telemetry's one-value-per-key model (newest sample per name;
 * key rule in {@link io.auditgate.ingest.payload.SenmlKeys}) and the whole pack travels as the
 * payload, so time series, units and data values are never lost to the projection.
 */
package io.auditgate.ingest.payload;
