package io.auditgate.pipeline.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.pipeline.KafkaTopics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides a log record's Kafka topic and key from its type and the few envelope fields that matter
 * for routing ({@code schema}, {@code device_id}, {@code gateway_id}, {@code trace_id}), read with
 * the streaming parser and stopping as soon as they are known: the envelope's field order puts them
 * first, so the metrics and payload of most records are never looked at. The value itself is
 * forwarded verbatim; the store validates it fully when it reads it.
 *
 * <p>Thread-safe.
 */
public final class RecordRouter {
  /** Reason code: the record's bytes are not an envelope (not JSON, or a routing field missing). */
  public static final String UNREADABLE_ENVELOPE = "unreadable_envelope";

  /** Reason code: the record's type and schema do not name a topic. */
  public static final String UNROUTABLE_RECORD = "unroutable_record";

  private final JsonFactory json = new JsonFactory();
  private final KafkaTopics topics;

  public RecordRouter(KafkaTopics topics) {
    this.topics = Objects.requireNonNull(topics, "topics");
  }

  /** Where a record goes, or why it cannot go anywhere. */
  public sealed interface Route {
    /**
     * @param key the Kafka key: device id, or gateway id for gateway events, UTF-8
     * @param gatewayId the envelope's gateway id (the {@code auditgate.gateway_id} header)
     * @param traceId the envelope's trace id, if it has one
     */
    record Routed(String topic, byte[] key, String gatewayId, Optional<String> traceId)
        implements Route {}

    /** The record can never be routed; the sink rejects it with {@code reasonCode}. */
    record Unroutable(String reasonCode, String detail) implements Route {}
  }

  public Route route(WalRecord record) {
    Fields fields;
    try {
      fields = read(record.body());
    } catch (IOException | RuntimeException e) {
      return new Route.Unroutable(UNREADABLE_ENVELOPE, "not a JSON envelope: " + e.getMessage());
    }
    if (fields.schema == null) {
      return new Route.Unroutable(UNREADABLE_ENVELOPE, "envelope has no schema");
    }
    if (fields.gatewayId == null || !Telemetry.isDeviceId(fields.gatewayId)) {
      return new Route.Unroutable(
          UNREADABLE_ENVELOPE, "envelope has no valid gateway_id: " + fields.gatewayId);
    }
    if (record.type() == RecordTypes.GATEWAY_EVENT) {
      if (!GatewayEventCodec.SCHEMA.equals(fields.schema)) {
        return mismatch(record, fields.schema);
      }
      return new Route.Routed(
          topics.gatewayEvents(), utf8(fields.gatewayId), fields.gatewayId, Optional.empty());
    }
    Optional<EnvelopeSchema> schema = EnvelopeSchema.fromWireName(fields.schema);
    if (schema.isEmpty() || schema.get().recordType() != record.type()) {
      return mismatch(record, fields.schema);
    }
    if (fields.deviceId == null || !Telemetry.isDeviceId(fields.deviceId)) {
      return new Route.Unroutable(
          UNREADABLE_ENVELOPE, "envelope has no valid device_id: " + fields.deviceId);
    }
    String topic =
        switch (schema.get()) {
          case TELEMETRY_V1 -> topics.telemetry();
          case DEVICE_EVENT_V1 -> topics.deviceEvents();
          case FIRMWARE_UPDATE_V1 -> topics.firmwareState();
        };
    return new Route.Routed(
        topic, utf8(fields.deviceId), fields.gatewayId, Optional.ofNullable(fields.traceId));
  }

  private static Route mismatch(WalRecord record, String schema) {
    return new Route.Unroutable(
        UNROUTABLE_RECORD, "record type " + record.type() + " with schema " + schema);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static final class Fields {
    String schema;
    String deviceId;
    String gatewayId;
    String traceId;

    boolean complete() {
      return schema != null && gatewayId != null && deviceId != null && traceId != null
          || GatewayEventCodec.SCHEMA.equals(schema) && gatewayId != null;
    }
  }

  private Fields read(byte[] body) throws IOException {
    Fields fields = new Fields();
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a JSON object");
      }
      while (!fields.complete() && parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == null) {
          throw new IOException("truncated at " + name);
        }
        String text = value == JsonToken.VALUE_STRING ? parser.getText() : null;
        switch (name) {
          case "schema" -> fields.schema = text;
          case "device_id" -> fields.deviceId = text;
          case "gateway_id" -> fields.gatewayId = text;
          case "trace_id" -> fields.traceId = text;
          default -> parser.skipChildren();
        }
      }
    }
    return fields;
  }
}
