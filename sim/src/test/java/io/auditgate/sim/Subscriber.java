package io.auditgate.sim;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Everything published under {@code devices/#}, as a QoS 1 subscriber received it. */
final class Subscriber implements AutoCloseable {
  /** One message as received. */
  record Message(String topic, byte[] payload, long receivedNanos) {}

  private final Mqtt5AsyncClient client;
  private final ConcurrentLinkedQueue<Message> messages = new ConcurrentLinkedQueue<>();

  Subscriber(int port) throws Exception {
    client =
        MqttClient.builder()
            .useMqttVersion5()
            .identifier("test-subscriber")
            .serverHost("127.0.0.1")
            .serverPort(port)
            .buildAsync();
    client.connect().get(10, TimeUnit.SECONDS);
    client
        .subscribeWith()
        .topicFilter("devices/#")
        .qos(MqttQos.AT_LEAST_ONCE)
        .callback(
            p ->
                messages.add(
                    new Message(p.getTopic().toString(), p.getPayloadAsBytes(), System.nanoTime())))
        .send()
        .get(10, TimeUnit.SECONDS);
  }

  List<Message> messages() {
    return List.copyOf(messages);
  }

  Map<String, Long> countByTopic() {
    return messages.stream().collect(Collectors.groupingBy(Message::topic, Collectors.counting()));
  }

  List<Message> on(String topic) {
    return messages.stream().filter(m -> m.topic().equals(topic)).toList();
  }

  /** Waits until {@code expected} messages arrived, then a little longer to catch extras. */
  void awaitCount(long expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (messages.size() < expected && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    Thread.sleep(300);
  }

  static <T> Map<T, Long> histogram(List<T> values) {
    return values.stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  @Override
  public void close() throws Exception {
    client.disconnect().get(10, TimeUnit.SECONDS);
  }
}
