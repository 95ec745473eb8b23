package io.auditgate.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalRecord;
import io.auditgate.envelope.EnvelopeSchema;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.pipeline.Envelopes;
import io.auditgate.pipeline.KafkaTopics;
import io.auditgate.pipeline.internal.RecordRouter.Route;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordRouterTest {
  private final RecordRouter router = new RecordRouter(KafkaTopics.DEFAULTS);

  private static WalRecord record(byte type, byte[] body) {
    return new WalRecord(7, type, 0, body);
  }

  private Route.Routed routed(byte type, byte[] body) {
    Route route = router.route(record(type, body));
    assertThat(route).isInstanceOf(Route.Routed.class);
    return (Route.Routed) route;
  }

  private Route.Unroutable unroutable(byte type, String body) {
    Route route = router.route(record(type, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(route).isInstanceOf(Route.Unroutable.class);
    return (Route.Unroutable) route;
  }

  @Test
  void telemetryGoesToTelemetryV1KeyedByDevice() {
    Route.Routed r = routed(RecordTypes.TELEMETRY, Envelopes.telemetry("dev-1", 3));
    assertThat(r.topic()).isEqualTo("telemetry.v1");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("dev-1");
    assertThat(r.gatewayId()).isEqualTo(Envelopes.GATEWAY);
    assertThat(r.traceId()).contains(Envelopes.traceId("dev-1", 3));
  }

  @Test
  void deviceEventsAreRoutedByTheirSchema() {
    assertThat(
            routed(
                    RecordTypes.DEVICE_EVENT,
                    Envelopes.event(EnvelopeSchema.DEVICE_EVENT_V1, "d", 1))
                .topic())
        .isEqualTo("device-events.v1");
    Route.Routed firmware =
        routed(
            RecordTypes.DEVICE_EVENT, Envelopes.event(EnvelopeSchema.FIRMWARE_UPDATE_V1, "d", 1));
    assertThat(firmware.topic()).isEqualTo("device-firmware-state.v1");
    assertThat(new String(firmware.key(), StandardCharsets.UTF_8)).isEqualTo("d");
  }

  @Test
  void gatewayEventsAreKeyedByGatewayAndCarryNoTrace() {
    Route.Routed r =
        routed(RecordTypes.GATEWAY_EVENT, Envelopes.gatewayEvent(GatewayEvent.Kind.STARTED));
    assertThat(r.topic()).isEqualTo("gateway-events.v1");
    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(Envelopes.GATEWAY);
    assertThat(r.traceId()).isEmpty();
  }

  @Test
  void configuredTopicNamesAreUsed() {
    RecordRouter custom = new RecordRouter(new KafkaTopics("t", "e", "f", "g"));
    Route route = custom.route(record(RecordTypes.TELEMETRY, Envelopes.telemetry("dev-1", 1)));
    assertThat(((Route.Routed) route).topic()).isEqualTo("t");
  }

  @Test
  void fieldsAfterTheRoutingFieldsAreNotRead() {
    // Damage past trace_id does not matter to routing: the value is forwarded verbatim and the
    // store, which decodes it fully, dead-letters it if it must.
    String body = new String(Envelopes.telemetry("dev-1", 1), StandardCharsets.UTF_8);
    String cut = body.substring(0, body.indexOf("\"received_at\"")) + "garbage";
    assertThat(router.route(record(RecordTypes.TELEMETRY, cut.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(Route.Routed.class);
  }

  @Test
  void aMissingTraceIdOnlyMeansNoTraceparent() {
    String body =
        "{\"schema\":\"telemetry.v1\",\"device_id\":\"dev-1\",\"gateway_id\":\"gw\",\"metrics\":{}}";
    Route.Routed r = routed(RecordTypes.TELEMETRY, body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.traceId()).isEqualTo(Optional.empty());
  }

  @Test
  void recordsThatCannotBeRoutedSayWhy() {
    assertThat(unroutable(RecordTypes.TELEMETRY, "not json").reasonCode())
        .isEqualTo("unreadable_envelope");
    assertThat(unroutable(RecordTypes.TELEMETRY, "[1,2]").reasonCode())
        .isEqualTo("unreadable_envelope");
    assertThat(
            unroutable(RecordTypes.TELEMETRY, "{\"device_id\":\"d\",\"gateway_id\":\"g\"}")
                .detail())
        .contains("no schema");
    assertThat(
            unroutable(
                    RecordTypes.TELEMETRY,
                    "{\"schema\":\"telemetry.v1\",\"device_id\":\"no spaces\",\"gateway_id\":\"g\"}")
                .detail())
        .contains("device_id");
    assertThat(
            unroutable(
                    RecordTypes.TELEMETRY,
                    "{\"schema\":\"telemetry.v1\",\"device_id\":\"d\",\"gateway_id\":7}")
                .detail())
        .contains("gateway_id");
    // A telemetry envelope stored as a device event, a schema nobody knows, a type nobody knows.
    Route.Unroutable mismatch =
        (Route.Unroutable)
            router.route(record(RecordTypes.DEVICE_EVENT, Envelopes.telemetry("dev-1", 1)));
    assertThat(mismatch.reasonCode()).isEqualTo("unroutable_record");
    assertThat(
            unroutable(
                    RecordTypes.TELEMETRY,
                    "{\"schema\":\"telemetry.v9\",\"device_id\":\"d\",\"gateway_id\":\"g\"}")
                .reasonCode())
        .isEqualTo("unroutable_record");
    assertThat(
            ((Route.Unroutable) router.route(record((byte) 9, Envelopes.telemetry("dev-1", 1))))
                .reasonCode())
        .isEqualTo("unroutable_record");
  }
}
