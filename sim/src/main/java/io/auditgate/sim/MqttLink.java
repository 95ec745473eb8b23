package io.auditgate.sim;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.util.concurrent.CompletableFuture;

/** A board's MQTT 5 client, publishing to {@code devices/{id}/telemetry}. Thread-safe. */
final class MqttLink implements Link {
  private final Mqtt5AsyncClient client;
  private final Mqtt5Connect connect;
  private final MqttQos qos;

  MqttLink(Mqtt5AsyncClient client, Mqtt5Connect connect, int qos) {
    this.client = client;
    this.connect = connect;
    this.qos = qos == 1 ? MqttQos.AT_LEAST_ONCE : MqttQos.AT_MOST_ONCE;
  }

  @Override
  public CompletableFuture<?> connect() {
    return client.connect(connect);
  }

  @Override
  public CompletableFuture<Void> disconnect() {
    return client.disconnect().handle((ok, error) -> null);
  }

  @Override
  public CompletableFuture<Outcome> send(String deviceId, byte[] body) {
    return client
        .publish(
            Mqtt5Publish.builder()
                .topic(SimulationPlan.telemetryTopic(deviceId))
                .qos(qos)
                .payload(body)
                .build())
        .thenApply(
            result -> {
              if (result.getError().isPresent() || refused(result)) {
                return Outcome.FAILED;
              }
              return qos == MqttQos.AT_LEAST_ONCE ? Outcome.ACKNOWLEDGED : Outcome.UNCONFIRMED;
            });
  }

  private static boolean refused(Mqtt5PublishResult result) {
    return result instanceof Mqtt5PublishResult.Mqtt5Qos1Result qos1
        && qos1.getPubAck().getReasonCode().isError();
  }
}
