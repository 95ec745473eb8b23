package io.auditgate.ingest.mqtt;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connected clients: by session, to find the connection a new CONNECT takes over
 * [MQTT-3.1.4-2], and by device, to deliver commands. Thread-safe.
 */
final class ConnectionRegistry {
  private final Map<SessionKey, MqttConnection> bySession = new ConcurrentHashMap<>();
  private final Map<String, Set<MqttConnection>> byDevice = new ConcurrentHashMap<>();

  /** Registers a connected client; returns the connection that held the session until now. */
  Optional<MqttConnection> register(SessionKey key, MqttConnection connection) {
    byDevice.computeIfAbsent(key.deviceId(), id -> ConcurrentHashMap.newKeySet()).add(connection);
    return Optional.ofNullable(bySession.put(key, connection));
  }

  void unregister(SessionKey key, MqttConnection connection) {
    bySession.remove(key, connection);
    byDevice.computeIfPresent(
        key.deviceId(),
        (id, connections) -> {
          connections.remove(connection);
          return connections.isEmpty() ? null : connections;
        });
  }

  Collection<MqttConnection> connectionsOf(String deviceId) {
    Set<MqttConnection> connections = byDevice.get(deviceId);
    return connections == null ? List.of() : List.copyOf(connections);
  }

  Collection<MqttConnection> all() {
    return List.copyOf(bySession.values());
  }
}
