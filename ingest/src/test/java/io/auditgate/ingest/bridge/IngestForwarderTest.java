package io.auditgate.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import org.junit.jupiter.api.Test;

class IngestForwarderTest {

  @Test
  void aTraceparentUserPropertyGivesTheTraceId() {
    Mqtt5Publish publish =
        Mqtt5Publish.builder()
            .topic("devices/d/telemetry")
            .userProperties()
            .add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
            .applyUserProperties()
            .build();
    assertThat(IngestForwarder.traceId(publish)).contains("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void malformedOrAllZeroTraceparentsAreIgnored() {
    assertThat(IngestForwarder.traceId(withTraceparent("nonsense"))).isEmpty();
    assertThat(
            IngestForwarder.traceId(
                withTraceparent("00-00000000000000000000000000000000-00f067aa0ba902b7-01")))
        .isEmpty();
    assertThat(IngestForwarder.traceId(Mqtt5Publish.builder().topic("t").build())).isEmpty();
  }

  private static Mqtt5Publish withTraceparent(String value) {
    return Mqtt5Publish.builder()
        .topic("devices/d/telemetry")
        .userProperties()
        .add("traceparent", value)
        .applyUserProperties()
        .build();
  }
}
