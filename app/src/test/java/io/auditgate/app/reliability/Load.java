package io.auditgate.app.reliability;

import io.auditgate.sim.FleetSimulator;
import io.auditgate.sim.PemCredentials;
import io.auditgate.sim.SimulationPlan;
import io.auditgate.sim.SimulationPlan.Credentials;
import io.auditgate.sim.SimulationPlan.Endpoint;
import io.auditgate.sim.SimulationProgress;
import io.auditgate.sim.SimulationReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

/**
 * Steady load: a few simulated B-L475E-IOT01A boards publishing QoS 1 telemetry over MQTT 5 with
 * their own certificates (mTLS) for a fixed time, on a thread of its own. The simulator keeps the
 * exact set of sequence numbers each board had acknowledged, which is what reconciliation checks
 * the database against. Closing it before the end stops the boards.
 */
final class Load implements AutoCloseable {
  static final int BOARDS = 3;
  static final double MESSAGES_PER_SECOND_PER_BOARD = 15;

  /** About one second of the whole fleet's messages. */
  static final long ONE_SECOND_OF_MESSAGES = Math.round(BOARDS * MESSAGES_PER_SECOND_PER_BOARD);

  private final AtomicReference<SimulationProgress> latest = new AtomicReference<>();
  private final CompletableFuture<SimulationReport> report = new CompletableFuture<>();
  private final Duration duration;
  private final Thread thread;
  private volatile Instant ended;

  private Load(SimulationPlan plan) {
    this.duration = plan.duration();
    this.thread =
        new Thread(
            () -> {
              SimulationReport done;
              try {
                done = new FleetSimulator(Clock.systemUTC()).run(plan, latest::set);
              } catch (Throwable e) {
                ended = Instant.now();
                report.completeExceptionally(e);
                return;
              }
              ended = Instant.now(); // before the report, so that whoever has it sees the end
              report.complete(done);
            },
            "reliability-load");
    thread.setDaemon(true);
  }

  static List<String> deviceIds() {
    return IntStream.rangeClosed(1, BOARDS).mapToObj(SimulationPlan::deviceId).toList();
  }

  /** Starts the boards against the MQTT listener on {@code mqttPort}; they connect at once. */
  static Load start(ReliabilityHarness.Pki pki, int mqttPort, Duration duration) {
    return start(pki, mqttPort, duration, List.of());
  }

  /** As {@link #start(ReliabilityHarness.Pki, int, Duration)}, with the simulator's faults. */
  static Load start(
      ReliabilityHarness.Pki pki,
      int mqttPort,
      Duration duration,
      List<SimulationPlan.Fault> faults) {
    SimulationPlan plan =
        new SimulationPlan(
                BOARDS,
                MESSAGES_PER_SECOND_PER_BOARD,
                duration,
                1,
                Endpoint.tls(
                    "localhost", mqttPort, PemCredentials.trustManagerFactory(pki.rootCa())))
            .withCredentials(new Credentials.ClientCertificates(pki.devices()))
            .withFaults(faults);
    Load load = new Load(plan);
    load.thread.start();
    return load;
  }

  /** Messages acknowledged so far (the simulator reports about once a second). */
  long acknowledged() {
    SimulationProgress progress = latest.get();
    return progress == null ? 0 : progress.acknowledged();
  }

  /** Waits until at least {@code count} messages are acknowledged; returns the count seen. */
  long awaitAcknowledged(long count, Duration timeout) {
    return Waits.until(
        count + " messages acknowledged to the boards",
        timeout,
        () -> {
          if (report.isDone()) {
            throw new AssertionError("the load ended first, at " + acknowledged() + " acks");
          }
          return acknowledged();
        },
        seen -> seen >= count);
  }

  /** Waits for the boards to finish and returns the simulator's record of what happened. */
  SimulationReport awaitEnd() throws Exception {
    try {
      return report.get(duration.toSeconds() + 90, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("the simulated boards failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the simulated boards did not finish", e);
    }
  }

  /** When the boards finished; null while they run. */
  Instant ended() {
    return ended;
  }

  @Override
  public void close() throws InterruptedException {
    if (thread.isAlive()) {
      thread.interrupt(); // the simulator disconnects the boards and returns
      thread.join(20_000);
    }
  }
}
