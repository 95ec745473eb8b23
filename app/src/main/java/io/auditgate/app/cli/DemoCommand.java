package io.auditgate.app.cli;

import io.auditgate.app.config.Durations;
import io.auditgate.app.demo.FieldDemo;
import io.auditgate.app.demo.Reconciliation;
import io.auditgate.core.Directories;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditgate demo}: the seed's field demo on embedded defaults, with nothing installed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole pipeline on embedded defaults: a development CA issues the gateway's and each"
          + " board's certificate; Kafka (KRaft) and PostgreSQL start in this process, with the"
          + " store consumer between them; the gateway runs as a child process; simulated"
          + " B-L475E-IOT01A boards publish over MQTT 5 with mutual TLS.",
      "On stage: Kafka stops and comes back (the gateway's write-ahead log holds the backlog,"
          + " then drains it), then the gateway is killed with SIGKILL and restarted. It ends with"
          + " a reconciliation per device: sent, acknowledged, stored, lost (must be 0) and"
          + " duplicates (must be 0). Exit status 0 only if both are 0.",
      "Ctrl-C stops everything cleanly."
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--devices", description = "Simulated boards (default: ${DEFAULT-VALUE}).")
  int devices = 3;

  @Option(
      names = "--rate",
      description = "Messages per second per board (default: ${DEFAULT-VALUE}).")
  double rate = 5;

  @Option(
      names = "--duration",
      description =
          "How long the boards publish, e.g. 90s; the outages are staged within it"
              + " (default: ${DEFAULT-VALUE}).")
  String duration = "40s";

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Keep everything here (default: a temporary directory, deleted afterwards).")
  Path dataDir;

  @Option(
      names = "--keep-serving",
      description = "After the run, keep the store and the dashboard up until Ctrl-C.")
  boolean keepServing;

  @Override
  public Integer call() throws Exception {
    if (devices < 1 || devices > 10_000) {
      throw new IllegalArgumentException("--devices must be 1..10000, got " + devices);
    }
    if (!(rate > 0 && rate <= 1000)) {
      throw new IllegalArgumentException(
          "--rate must be more than 0 and at most 1000, got " + rate);
    }
    Duration runFor = Durations.parse(duration);
    if (runFor.compareTo(Duration.ofSeconds(20)) < 0) {
      throw new IllegalArgumentException(
          "--duration must be at least 20s to stage a Kafka outage and a gateway kill, got "
              + duration);
    }
    PrintWriter out = spec.commandLine().getOut();
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("auditgate-demo-");
    FieldDemo demo =
        new FieldDemo(new FieldDemo.Options(devices, rate, runFor, dir), out, Clock.systemUTC());
    Thread stopOnCtrlC = new Thread(demo::close, "demo-stop");
    Runtime.getRuntime().addShutdownHook(stopOnCtrlC);
    Reconciliation result;
    try {
      result = demo.run();
      if (keepServing && demo.dashboardUrl().isPresent()) {
        out.printf(
            "%nthe store and the dashboard keep running (Ctrl-C to stop): %s%n",
            demo.dashboardUrl().get());
        out.flush();
        new java.util.concurrent.CountDownLatch(1).await();
      }
    } finally {
      demo.close();
      try {
        Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is already running the same (idempotent) close.
      }
    }
    if (dataDir == null) {
      Directories.deleteTree(dir);
    } else {
      out.printf("everything is kept in %s%n", dir);
    }
    out.flush();
    return result.zeroLossZeroDuplicates() ? 0 : 1;
  }
}
