package io.auditgate.ingest.mqtt;

import java.time.Duration;
import java.util.Objects;

/** What the listener does about one publish, decided by {@link MqttReplies} and nowhere else. */
sealed interface AckPlan {

  /**
   * Answer with PUBACK (QoS 1) or PUBREC (QoS 2), in the order the publishes arrived.
   *
   * @param reasonCode the MQTT 5 reason code; 0 (success) for MQTT 3.1.1, which has no other
   * @param accepted whether the gateway has taken responsibility for the message (stored, or kept
   *     as a dead letter); an accepted QoS 2 message owes a PUBREL and is never stored again
   * @param reason a short reason string for MQTT 5 clients that asked for problem information
   */
  record Answer(byte reasonCode, boolean accepted, String reason) implements AckPlan {
    public Answer {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Answer nothing yet: keep the message, stop reading, offer it to the ingest again later. */
  record Retry(Duration after) implements AckPlan {
    public Retry {
      Objects.requireNonNull(after, "after");
    }
  }

  /** Answer nothing and close the connection: the only refusal MQTT 3.1.1 can express. */
  record Close(CloseReason reason) implements AckPlan {
    public Close {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Nothing to answer (QoS 0). */
  record Nothing() implements AckPlan {}
}
