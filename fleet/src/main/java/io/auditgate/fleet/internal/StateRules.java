package io.auditgate.fleet.internal;

import io.auditgate.fleet.DeviceState;
import io.auditgate.fleet.GatewayState;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state rules, as pure functions of what the store knows (docs/fleet.md, "States"). Each
 * decision carries the moment the state began as far as the facts tell (not the evaluation time, so
 * a review window sees when telemetry stopped, not when the monitor noticed) and a cause a person
 * can read.
 */
public final class StateRules {
  private StateRules() {}

  /** A state, since when, and why. */
  public record Decision<S>(S state, Instant since, String cause) {
    public Decision {
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(cause, "cause");
    }
  }

  /** What the store knows about a device. */
  public record DeviceFacts(
      String profile,
      Duration expectedInterval,
      int staleAfterIntervals,
      Optional<Instant> lastTelemetryAt,
      Optional<Instant> lastConnectAt,
      Optional<Instant> lastDisconnectAt,
      Optional<String> lastDisconnectReason,
      String registeredVia) {
    Duration staleAfter() {
      return expectedInterval.multipliedBy(staleAfterIntervals);
    }
  }

  public static Decision<DeviceState> device(DeviceFacts f, Instant now) {
    Instant never = Instant.MIN;
    Instant telemetry = f.lastTelemetryAt().orElse(never);
    Instant connect = f.lastConnectAt().orElse(never);
    if (f.lastDisconnectAt().isPresent()) {
      Instant disconnect = f.lastDisconnectAt().get();
      if (disconnect.isAfter(connect) && !disconnect.isBefore(telemetry)) {
        return new Decision<>(
            DeviceState.OFFLINE,
            disconnect,
            "disconnected at "
                + disconnect
                + f.lastDisconnectReason().map(r -> " (" + r + ")").orElse("")
                + "; no connect or telemetry since");
      }
    }
    if (f.lastTelemetryAt().isEmpty() && f.lastConnectAt().isEmpty()) {
      return new Decision<>(
          DeviceState.NEVER_SEEN,
          now,
          "registered via " + f.registeredVia() + "; no telemetry or connect yet");
    }
    Duration staleAfter = f.staleAfter();
    String expectation =
        "profile "
            + f.profile()
            + " expects one every "
            + seconds(f.expectedInterval())
            + ", stale after "
            + f.staleAfterIntervals();
    if (f.lastTelemetryAt().isPresent()) {
      Duration silence = Duration.between(telemetry, now);
      if (silence.compareTo(staleAfter) <= 0) {
        return new Decision<>(
            DeviceState.ACTIVE,
            telemetry,
            "telemetry "
                + seconds(silence.isNegative() ? Duration.ZERO : silence)
                + " ago; "
                + expectation);
      }
      // A reconnect with no telemetry yet is a fresh chance: grace from the connect.
      if (connect.isAfter(telemetry) && Duration.between(connect, now).compareTo(staleAfter) <= 0) {
        return new Decision<>(
            DeviceState.ACTIVE,
            connect,
            "connected "
                + seconds(Duration.between(connect, now))
                + " ago, awaiting telemetry; "
                + expectation);
      }
      return new Decision<>(
          DeviceState.STALE,
          telemetry.plus(staleAfter),
          "no telemetry for " + seconds(silence) + "; " + expectation);
    }
    Duration sinceConnect = Duration.between(connect, now);
    if (sinceConnect.compareTo(staleAfter) <= 0) {
      return new Decision<>(
          DeviceState.ACTIVE,
          connect,
          "connected "
              + seconds(sinceConnect)
              + " ago, awaiting its first telemetry; "
              + expectation);
    }
    return new Decision<>(
        DeviceState.STALE,
        connect.plus(staleAfter),
        "no telemetry since connecting " + seconds(sinceConnect) + " ago; " + expectation);
  }

  /** What the store knows about a gateway: its latest event of each kind. */
  public record GatewayFacts(
      Optional<Instant> lastHeartbeatAt,
      Map<String, String> lastHeartbeat,
      Optional<Instant> lastStartedAt,
      Optional<Instant> lastRecoveredAt,
      Map<String, String> lastRecovery,
      Optional<Instant> lastStoppedAt,
      Optional<Instant> lastInterruptedAt,
      Map<String, String> lastInterruption,
      Optional<Instant> lastRestoredAt) {}

  public static Decision<GatewayState> gateway(
      GatewayFacts f, Instant now, Duration heartbeatInterval, Duration restartWindow) {
    Instant never = Instant.MIN;
    Instant started = latest(f.lastStartedAt(), f.lastRecoveredAt()).orElse(never);
    Instant alive =
        latest(
                f.lastHeartbeatAt(),
                Optional.of(started).filter(t -> t != never),
                f.lastInterruptedAt(),
                f.lastRestoredAt())
            .orElse(never);
    String expectation =
        "heartbeats expected every " + seconds(heartbeatInterval) + ", down after 3 missed";
    if (f.lastStoppedAt().isPresent() && !f.lastStoppedAt().get().isBefore(alive)) {
      return new Decision<>(
          GatewayState.DOWN, f.lastStoppedAt().get(), "stopped at " + f.lastStoppedAt().get());
    }
    Duration downAfter = heartbeatInterval.multipliedBy(3);
    if (alive == never) {
      return new Decision<>(
          GatewayState.DOWN, now, "no heartbeat or start seen yet; " + expectation);
    }
    Duration silence = Duration.between(alive, now);
    if (silence.compareTo(downAfter) > 0) {
      return new Decision<>(
          GatewayState.DOWN,
          alive.plus(downAfter),
          "no heartbeat for " + seconds(silence) + "; " + expectation);
    }
    if (f.lastInterruptedAt().isPresent()
        && f.lastInterruptedAt().get().isAfter(f.lastRestoredAt().orElse(never))
        && !f.lastInterruptedAt().get().isBefore(started)) {
      return new Decision<>(
          GatewayState.UPSTREAM_INTERRUPTED,
          f.lastInterruptedAt().get(),
          "upstream "
              + f.lastInterruption().getOrDefault("sink", "sink")
              + " interrupted since "
              + f.lastInterruptedAt().get()
              + Optional.ofNullable(f.lastInterruption().get("reason"))
                  .map(r -> ": " + r)
                  .orElse(""));
    }
    if (started != never && Duration.between(started, now).compareTo(restartWindow) <= 0) {
      // The recovery is logged just before the start of the same run.
      boolean recovered =
          f.lastRecoveredAt()
              .map(r -> Duration.between(r, started).abs().compareTo(Duration.ofMinutes(1)) <= 0)
              .orElse(false);
      String recovery =
          recovered
              ? " after recovering its log ("
                  + f.lastRecovery().getOrDefault("bytes_truncated", "0")
                  + " bytes truncated, clean shutdown "
                  + f.lastRecovery().getOrDefault("clean_shutdown", "unknown")
                  + ")"
              : "";
      return new Decision<>(GatewayState.RESTARTED, started, "started at " + started + recovery);
    }
    return new Decision<>(
        GatewayState.UP, alive, "heartbeat " + seconds(silence) + " ago; " + expectation);
  }

  @SafeVarargs
  static Optional<Instant> latest(Optional<Instant>... times) {
    Optional<Instant> best = Optional.empty();
    for (Optional<Instant> t : times) {
      if (t.isPresent() && (best.isEmpty() || t.get().isAfter(best.get()))) {
        best = t;
      }
    }
    return best;
  }

  /** {@code 95 s}, {@code 2.5 s}. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? (ms / 1000) + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
