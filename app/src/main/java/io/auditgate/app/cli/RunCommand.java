package io.auditgate.app.cli;

import io.auditgate.app.config.ConfigLoader;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.app.runtime.Node;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.store.JdbcUrls;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code auditgate run}: the gateway, until SIGTERM or SIGINT. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the roles the configuration enables: the gateway (write-ahead log, MQTT listener,"
          + " HTTPS ingest, broker bridge, forwarding to Kafka or straight to the store) and the"
          + " store consumer (Kafka to PostgreSQL/TimescaleDB). See examples/ for each deployment"
          + " shape.",
      "On SIGTERM/SIGINT readiness turns to 503 (draining), the listeners stop after"
          + " --drain, then the log is closed cleanly."
    })
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file (see examples/).")
  Path file;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(
      names = "--drain",
      paramLabel = "DURATION",
      description =
          "How long readiness reports draining before the listeners stop (default: ${DEFAULT-VALUE}).")
  String drain = "2s";

  @Option(
      names = "--parent-pid",
      paramLabel = "PID",
      hidden = true,
      description = "Stop cleanly when this process exits (used when the demo starts the gateway).")
  Long parentPid;

  @Override
  public Integer call() throws Exception {
    AuditgateConfig config =
        new ConfigLoader().load(Optional.ofNullable(file), System.getenv(), overrides);
    Duration drainFor = io.auditgate.app.config.Durations.parse(drain);
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stopped = new CountDownLatch(1);
    Node node = Node.start(config, Clock.systemUTC());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.gateway().ifPresent(Gateway::drain);
                  try {
                    Thread.sleep(drainFor.toMillis());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  node.close();
                  stopped.countDown();
                },
                "shutdown"));
    if (node.gateway().isPresent()) {
      describe(config, node.gateway().get(), out);
    }
    node.consumer()
        .ifPresent(
            c ->
                out.printf(
                    "store consumer (group %s) reading %s%n",
                    config.consumer().groupId(), config.kafka().bootstrapServers().orElseThrow()));
    node.storeUrl().ifPresent(url -> out.printf("  store            %s%n", JdbcUrls.redact(url)));
    node.web()
        .ifPresent(
            web ->
                out.printf(
                    "  web              %s/dashboard/ (API %s/api/v1, tokens: auditgate tokens"
                        + " create)%n",
                    web.baseUrl(), web.baseUrl()));
    if (node.gateway().isEmpty() && node.consumer().isEmpty()) {
      out.println("no role enabled (gateway.enabled and consumer.enabled are both false)");
      node.close();
      return 2;
    }
    out.flush();
    if (parentPid != null) {
      watchParent(parentPid);
    }
    stopped.await();
    return 0;
  }

  /** Exits (through the shutdown hook, so cleanly) once the parent process is gone. */
  private static void watchParent(long pid) {
    Thread watcher =
        new Thread(
            () -> {
              ProcessHandle.of(pid).ifPresent(parent -> parent.onExit().join());
              System.exit(0);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void describe(AuditgateConfig config, Gateway gateway, PrintWriter out) {
    out.printf("gateway %s running%n", config.gateway().id());
    out.printf(
        "  write-ahead log  %s (%,d records held)%n",
        config.gateway().walDir(), gateway.wal().durableEndOffset() - gateway.wal().startOffset());
    out.printf(
        "  https ingest     %s://%s:%d/v1/ingest/{deviceId}%n",
        gateway.httpUsesTls() ? "https" : "http",
        config.http().bindHost(),
        gateway.httpAddress().getPort());
    out.printf(
        "  mqtt             %s:%d %s%n",
        config.mqtt().bindHost(),
        gateway.mqttAddress().getPort(),
        gateway.mqttUsesTls() ? "(TLS)" : "(plaintext, audited)");
    if (config.bridge().enabled()) {
      out.printf(
          "  bridge           subscribed to %s:%d %s%n",
          config.bridge().host(), config.bridge().port(), config.bridge().topicFilters());
    }
    gateway
        .sinkMetrics()
        .keySet()
        .forEach(
            sink ->
                out.printf(
                    "  forwarding to    %s%n",
                    sink.equals("kafka")
                        ? "Kafka " + config.kafka().bootstrapServers().orElseThrow()
                        : "the store"));
  }
}
