package io.auditgate.ingest.mqtt;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link CommandPublisher} over the registry of connected clients. */
final class CommandRouter implements CommandPublisher {
  private final ConnectionRegistry registry;

  CommandRouter(ConnectionRegistry registry) {
    this.registry = registry;
  }

  @Override
  public CompletionStage<CommandOutcome> publish(
      String deviceId, String command, byte[] payload, Qos qos) {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(qos, "qos");
    if (!DeviceTopics.isValidCommand(command)) {
      throw new IllegalArgumentException(
          "command must be topic levels without wildcards, got '" + command + "'");
    }
    Collection<MqttConnection> connections = registry.connectionsOf(deviceId);
    if (connections.isEmpty()) {
      return CompletableFuture.completedFuture(new CommandOutcome.NotConnected());
    }
    String topic = DeviceTopics.commandTopic(deviceId, command);
    byte[] copy = payload.clone();
    List<CompletableFuture<CommandOutcome>> outcomes = new ArrayList<>();
    for (MqttConnection connection : connections) {
      outcomes.add(connection.sendCommand(topic, copy, qos));
    }
    return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
        .thenApply(done -> combine(outcomes));
  }

  /** Delivered somewhere beats every failure; otherwise the most telling failure. */
  private static CommandOutcome combine(List<CompletableFuture<CommandOutcome>> outcomes) {
    int acknowledged = 0;
    int sent = 0;
    CommandOutcome failure = new CommandOutcome.NotConnected();
    for (CompletableFuture<CommandOutcome> future : outcomes) {
      CommandOutcome outcome = future.join();
      if (outcome instanceof CommandOutcome.Acknowledged) {
        acknowledged++;
      } else if (outcome instanceof CommandOutcome.Sent) {
        sent++;
      } else if (rank(outcome) > rank(failure)) {
        failure = outcome;
      }
    }
    if (acknowledged > 0) {
      return new CommandOutcome.Acknowledged(acknowledged);
    }
    return sent > 0 ? new CommandOutcome.Sent(sent) : failure;
  }

  private static int rank(CommandOutcome failure) {
    if (failure instanceof CommandOutcome.Refused || failure instanceof CommandOutcome.Lost) {
      return 2;
    }
    return failure instanceof CommandOutcome.NotSubscribed ? 1 : 0;
  }
}
