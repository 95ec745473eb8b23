package io.auditgate.ingest.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestRequest.Transport;
import io.auditgate.envelope.EnvelopeSchema;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SourceTopicTest {
  // The contract as regular expressions: the oracle the hand-written matcher is held to.
  private static final Pattern MQTT =
      Pattern.compile("devices/([A-Za-z0-9_-]{1,64})/(telemetry|events|firmware/state)");
  private static final Pattern HTTP = Pattern.compile("/v1/ingest/([A-Za-z0-9_-]{1,64})");
  private static final Pattern HTTP_EVENTS =
      Pattern.compile("devices/([A-Za-z0-9_-]{1,64})/events");

  @Example
  void theContractsTopicsAndNothingElse() {
    assertThat(SourceTopic.parse(Transport.MQTT, "devices/dev-1/telemetry"))
        .contains(new SourceTopic("dev-1", EnvelopeSchema.TELEMETRY_V1));
    assertThat(SourceTopic.parse(Transport.BRIDGE, "devices/d_2/firmware/state"))
        .contains(new SourceTopic("d_2", EnvelopeSchema.FIRMWARE_UPDATE_V1));
    assertThat(SourceTopic.parse(Transport.HTTP, "/v1/ingest/dev-1"))
        .contains(new SourceTopic("dev-1", EnvelopeSchema.TELEMETRY_V1));
    for (String topic :
        new String[] {
          "devices//telemetry",
          "devices/a/b/telemetry",
          "devices/dev-1/telemetry/",
          "devices/dev.1/events",
          "devices/" + "x".repeat(65) + "/events",
          "devices/dev-1/firmware",
          "/v1/ingest/dev-1"
        }) {
      assertThat(SourceTopic.parse(Transport.MQTT, topic)).as(topic).isEmpty();
    }
    assertThat(SourceTopic.parse(Transport.HTTP, "devices/dev-1/telemetry")).isEmpty();
    assertThat(SourceTopic.parse(Transport.HTTP, "devices/dev-1/firmware/state")).isEmpty();
    // The HTTPS listener's own events (certificate_presented), never a device's request path.
    assertThat(SourceTopic.parse(Transport.HTTP, "devices/dev-1/events"))
        .contains(new SourceTopic("dev-1", EnvelopeSchema.DEVICE_EVENT_V1));
    assertThat(SourceTopic.parse(Transport.HTTP, "/v1/ingest/a/b")).isEmpty();
  }

  @Property(tries = 3000)
  void agreesWithTheContractsRegularExpressions(
      @ForAll("topics") String topic, @ForAll Transport transport) {
    assertThat(SourceTopic.parse(transport, topic)).isEqualTo(byRegex(transport, topic));
  }

  @Provide
  Arbitrary<String> topics() {
    Arbitrary<String> part =
        Arbitraries.oneOf(
            Arbitraries.of(
                "devices/", "/v1/ingest/", "/", "telemetry", "events", "firmware/state", "x"),
            Arbitraries.strings().withChars("aZ09_-./é").ofMaxLength(70));
    return part.list().ofMaxSize(5).map(parts -> String.join("", parts));
  }

  private static Optional<SourceTopic> byRegex(Transport transport, String topic) {
    if (transport == Transport.HTTP) {
      Matcher http = HTTP.matcher(topic);
      Matcher events = HTTP_EVENTS.matcher(topic);
      return http.matches()
          ? Optional.of(new SourceTopic(http.group(1), EnvelopeSchema.TELEMETRY_V1))
          : events.matches()
              ? Optional.of(new SourceTopic(events.group(1), EnvelopeSchema.DEVICE_EVENT_V1))
              : Optional.empty();
    }
    Matcher mqtt = MQTT.matcher(topic);
    if (!mqtt.matches()) {
      return Optional.empty();
    }
    EnvelopeSchema schema =
        switch (mqtt.group(2)) {
          case "telemetry" -> EnvelopeSchema.TELEMETRY_V1;
          case "events" -> EnvelopeSchema.DEVICE_EVENT_V1;
          default -> EnvelopeSchema.FIRMWARE_UPDATE_V1;
        };
    return Optional.of(new SourceTopic(mqtt.group(1), schema));
  }
}
