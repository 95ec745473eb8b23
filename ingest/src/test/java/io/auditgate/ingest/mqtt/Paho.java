package io.auditgate.ingest.mqtt;

import java.nio.charset.StandardCharsets;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;

/** Eclipse Paho clients, MQTT 3.1.1 and 5, set up the same way for every test. */
final class Paho {
  static final long WAIT_MILLIS = 10_000;

  private Paho() {}

  static MqttAsyncClient v3(String uri, String clientId) throws MqttException {
    return new MqttAsyncClient(uri, clientId, new MemoryPersistence());
  }

  /** MQTT 3.1.1 exactly (Paho would otherwise fall back to 3.1), clean, no reconnects. */
  static MqttConnectOptions v3Options(String username, String password) {
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password.toCharArray());
    }
    return options;
  }

  static org.eclipse.paho.mqttv5.client.MqttAsyncClient v5(String uri, String clientId)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    return new org.eclipse.paho.mqttv5.client.MqttAsyncClient(
        uri, clientId, new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
  }

  static MqttConnectionOptions v5Options(String username, String password) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    if (username != null) {
      options.setUserName(username);
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    return options;
  }

  static void closeQuietly(MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(100, 1_000);
      }
      client.close(true);
    } catch (MqttException ignored) {
      // the test is over; a client that cannot close leaks a thread, not a result
    }
  }

  static void closeQuietly(org.eclipse.paho.mqttv5.client.MqttAsyncClient client) {
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(100, 1_000, false);
      }
      client.close(true);
    } catch (org.eclipse.paho.mqttv5.common.MqttException ignored) {
      // as above
    }
  }
}
