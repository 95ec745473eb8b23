package io.auditgate.ingest.bridge;

import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.auditgate.core.ingest.DeviceIdentity;
import io.auditgate.core.ingest.IngestRequest;
import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.TelemetryIngest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each bridged message to ingest and answers the broker from the result: acknowledged once
 * stored or dead-lettered, left unacknowledged otherwise (the broker then delivers it again on the
 * next connection).
 *
 * <p>Thread-safety: safe from any thread; called on the MQTT client's event loop, answers on the
 * log's threads.
 */
final class IngestForwarder {
  private static final Logger log = LoggerFactory.getLogger(IngestForwarder.class);
  private static final Pattern TRACEPARENT =
      Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$");
  private static final String ZERO_TRACE = "0".repeat(32);

  /** What the bridge needs to hear back. */
  interface Progress {
    /** Ingest took a message (stored or dead-lettered): it is working again. */
    void advanced();
  }

  private final TelemetryIngest ingest;
  private final DeviceTopics topics;
  private final Clock clock;
  private final BridgeCounters counters;
  private final Duration pauseAfterFailure;
  private final Progress progress;

  IngestForwarder(
      TelemetryIngest ingest,
      DeviceTopics topics,
      Clock clock,
      BridgeCounters counters,
      Duration pauseAfterFailure,
      Progress progress) {
    this.ingest = ingest;
    this.topics = topics;
    this.clock = clock;
    this.counters = counters;
    this.pauseAfterFailure = pauseAfterFailure;
    this.progress = progress;
  }

  void forward(BridgeConnection connection, Mqtt5Publish publish) {
    if (connection.isPausing()) {
      // Storing it now would only make a duplicate: its acknowledgement could not reach the
      // broker before the disconnect, so the broker delivers it again either way.
      counters.deferred.increment();
      return;
    }
    counters.received.increment();
    IngestRequest request = request(publish);
    CompletionStage<IngestResult> answer;
    try {
      answer = ingest.ingest(request);
    } catch (RuntimeException e) {
      fail(connection, request, e);
      return;
    }
    answer.whenComplete(
        (result, error) -> {
          if (error != null) {
            fail(connection, request, error);
          } else {
            answer(connection, publish, result);
          }
        });
  }

  private void answer(BridgeConnection connection, Mqtt5Publish publish, IngestResult result) {
    if (result instanceof IngestResult.Stored) {
      counters.stored.increment();
      publish.acknowledge();
      progress.advanced();
    } else if (result instanceof IngestResult.Rejected) {
      // Dead-lettered: it is kept as evidence, and resending the same bytes would fail again.
      counters.rejected.increment();
      publish.acknowledge();
      progress.advanced();
    } else if (result instanceof IngestResult.Busy busy) {
      counters.busy.increment();
      if (connection.pause(busy.retryAfter())) {
        counters.pauses.increment();
        log.warn(
            "ingest is busy ({}); bridge pauses for at least {} and leaves the broker holding"
                + " what is not stored",
            busy.message(),
            busy.retryAfter());
      }
    } else {
      throw new IllegalStateException("unknown ingest result " + result);
    }
  }

  private void fail(BridgeConnection connection, IngestRequest request, Throwable error) {
    counters.failed.increment();
    log.error(
        "ingest failed unexpectedly for a bridged message on {}; leaving it to the broker",
        request.sourceTopic(),
        error);
    if (connection.pause(pauseAfterFailure)) {
      counters.pauses.increment();
    }
  }

  private IngestRequest request(Mqtt5Publish publish) {
    String topic = publish.getTopic().toString();
    // A topic no filter matches (left over in a persisted session from an older configuration)
    // gets the whole topic as its id: never a valid device id, so ingest dead-letters it instead
    // of the bridge guessing an owner or dropping it.
    String deviceId = topics.deviceIdOf(topic).orElse(topic);
    return new IngestRequest(
        new DeviceIdentity(deviceId, DeviceIdentity.Method.BRIDGED, Optional.empty()),
        IngestRequest.Transport.BRIDGE,
        topic,
        publish.getPayloadAsBytes(),
        clock.instant(),
        traceId(publish));
  }

  /** The trace id of a W3C {@code traceparent} user property, if the publisher sent one. */
  static Optional<String> traceId(Mqtt5Publish publish) {
    for (Mqtt5UserProperty property : publish.getUserProperties().asList()) {
      if (property.getName().toString().equals("traceparent")) {
        var m = TRACEPARENT.matcher(property.getValue().toString());
        if (m.matches() && !m.group(1).equals(ZERO_TRACE)) {
          return Optional.of(m.group(1));
        }
      }
    }
    return Optional.empty();
  }
}
