package io.auditgate.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayEventCodecTest {
  private final GatewayEventCodec codec = new GatewayEventCodec();

  @Test
  void encodesTheDocumentedBytesAndReadsThemBack() {
    GatewayEvent event =
        new GatewayEvent(
            "gw-1",
            GatewayEvent.Kind.RECOVERED,
            Instant.parse("2024-05-01T12:00:00.123Z"),
            Map.of("segment", "00000000000000000000.log", "bytes_truncated", "17"));

    byte[] bytes = codec.encode(event);

    assertThat(new String(bytes, StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"schema\":\"gateway_event.v1\",\"gateway_id\":\"gw-1\",\"kind\":\"recovered\","
                + "\"at\":\"2024-05-01T12:00:00.123Z\",\"attributes\":{\"bytes_truncated\":\"17\","
                + "\"segment\":\"00000000000000000000.log\"}}");
    assertThat(codec.decode(bytes)).isEqualTo(event);
  }

  @Test
  void refusesWhatIsNotAGatewayEvent() {
    assertThatThrownBy(() -> codec.decode("{\"schema\":\"telemetry.v1\"}".getBytes()))
        .isInstanceOf(UnreadableEnvelopeException.class)
        .hasMessageContaining("gateway_event.v1");
    assertThatThrownBy(
            () ->
                codec.decode(
                    ("{\"schema\":\"gateway_event.v1\",\"gateway_id\":\"gw\",\"kind\":\"exploded\","
                            + "\"at\":\"2024-05-01T12:00:00Z\",\"attributes\":{}}")
                        .getBytes()))
        .isInstanceOf(UnreadableEnvelopeException.class)
        .hasMessageContaining("exploded");
    assertThatThrownBy(() -> codec.decode("not json".getBytes()))
        .isInstanceOf(UnreadableEnvelopeException.class);
  }
}
