package io.auditgate.ingest.mqtt;

import java.time.Duration;
import java.util.Objects;

/**
 * A client's will message, published as a device event when its connection ends abnormally.
 *
 * @param topic the will topic, already checked to be the device's own events topic
 * @param payload the will payload
 * @param delay the MQTT 5 will delay interval; zero for MQTT 3.1.1
 */
record Will(String topic, byte[] payload, Duration delay) {
  Will {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(delay, "delay");
  }
}
