package io.auditgate.ingest.mqtt;

import io.auditgate.core.ingest.DeviceIdentity;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** What the listener does with a CONNECT, decided by {@link ConnectPolicy}. */
sealed interface ConnectDecision {

  /**
   * Accept the client.
   *
   * @param identity who the credentials prove the client to be
   * @param clientId the client id, assigned by the gateway if the client sent none
   * @param assignedClientId whether the gateway chose the id (MQTT 5 CONNACK then names it)
   * @param cleanStart whether to discard any kept session
   * @param sessionExpiry how long to keep the session after the connection ends
   * @param sessionExpiryReduced whether that is less than the client asked for (MQTT 5 CONNACK then
   *     says so)
   * @param keepAliveSeconds the client's keep-alive; 0 turns the check off
   * @param will the will to publish on an abnormal disconnect
   * @param limits what the client said it can receive (MQTT 5)
   */
  record Accept(
      DeviceIdentity identity,
      String clientId,
      boolean assignedClientId,
      boolean cleanStart,
      Duration sessionExpiry,
      boolean sessionExpiryReduced,
      int keepAliveSeconds,
      Optional<Will> will,
      ClientLimits limits)
      implements ConnectDecision {
    public Accept {
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(sessionExpiry, "sessionExpiry");
      Objects.requireNonNull(will, "will");
      Objects.requireNonNull(limits, "limits");
    }
  }

  /** Refuse the client, with a CONNACK where the protocol has a code for the reason. */
  record Refuse(ConnectRefusal reason) implements ConnectDecision {
    public Refuse {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * What an MQTT 5 client announced in its CONNECT; MQTT 3.1.1 clients get the defaults.
   *
   * @param receiveMaximum QoS 1 commands the client accepts un-acknowledged at once
   * @param maximumPacketSize the largest packet the client accepts
   * @param problemInformation whether the client wants reason strings
   */
  record ClientLimits(int receiveMaximum, long maximumPacketSize, boolean problemInformation) {
    static final ClientLimits DEFAULTS = new ClientLimits(65_535, 268_435_460L, true);
  }
}
