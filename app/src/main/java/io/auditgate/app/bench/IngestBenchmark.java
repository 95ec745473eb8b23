package io.auditgate.app.bench;

import com.sun.management.OperatingSystemMXBean;
import io.auditgate.app.runtime.Gateway;
import io.auditgate.bench.IdleConnections;
import io.auditgate.bench.IngestBenchOptions;
import io.auditgate.bench.IngestBenchResult;
import io.auditgate.bench.IngestBenchResult.Idle;
import io.auditgate.bench.IngestBenchResult.Throughput;
import io.auditgate.bench.MosquittoBroker;
import io.auditgate.bench.MqttLoadGenerator;
import io.auditgate.bench.ProcStats;
import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.core.Directories;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.DispatchConfig;
import io.auditgate.core.config.GatewayConfig;
import io.auditgate.core.config.HttpIngestConfig;
import io.auditgate.core.config.MqttConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.sim.PemCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@code auditgate bench ingest}: the same QoS 1 load against the wired gateway (in this JVM, its
 * write-ahead log fsync'd before every PUBACK) and against Mosquitto (a child process), in
 * interleaved rounds, then idle mutual-TLS connections held against each. Lives in the app because
 * only the app may start a {@link Gateway}; the generator, Mosquitto, the idle clients and the JSON
 * are in the bench module.
 */
public final class IngestBenchmark {
  private static final String PUBLISHER_PREFIX = "bench-pub-";
  private static final String IDLE_PREFIX = "bench-idle-";

  /** File descriptors this JVM needs besides the gateway's side of the idle connections. */
  private static final int FD_HEADROOM = 1_000;

  private final IngestBenchOptions options;
  private final PrintStream progress;
  private final int cores = Runtime.getRuntime().availableProcessors();

  private IngestBenchmark(IngestBenchOptions options, PrintStream progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs the benchmark; progress on {@code progress}. */
  public static IngestBenchResult run(IngestBenchOptions options, PrintStream progress) {
    if (!MosquittoBroker.installed()) {
      throw new IllegalStateException(
          "Mosquitto is not installed at "
              + MosquittoBroker.BINARY
              + " (apt-get install mosquitto)");
    }
    Path dir;
    try {
      Files.createDirectories(options.baseDir());
      dir = Files.createTempDirectory(options.baseDir(), "auditgate-bench-ingest-");
    } catch (IOException e) {
      throw new UncheckedIOException("creating the work directory", e);
    }
    try {
      return new IngestBenchmark(options, progress).run(dir);
    } finally {
      try {
        Directories.deleteTree(dir);
      } catch (UncheckedIOException e) {
        // Leftovers in the temp directory are harmless.
      }
    }
  }

  private IngestBenchResult run(Path dir) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    Clock clock = Clock.systemUTC();

    long jvmFdLimit = ProcStats.openFileLimit(ProcStats.self()).orElse(1024);
    int idleCount =
        (int) Math.max(0, Math.min(options.idleConnections(), jvmFdLimit - FD_HEADROOM));
    String idleNote =
        idleCount == options.idleConnections()
            ? "held by a Python asyncio child (open-file limit raised to min(65536, hard limit "
                + ProcStats.openFileHardLimit(ProcStats.self()).orElse(-1)
                + ")), one device certificate each, MQTT 3.1.1 CONNECT with keep-alive 1200 s;"
                + " the gateway runs in this JVM, so its heap (after full GC) and RSS grow by the"
                + " server side only; its RSS also moves as G1 commits or uncommits heap, hence"
                + " rss_outside_heap. JVM open-file limit "
                + jvmFdLimit
            : "reduced from "
                + options.idleConnections()
                + " to "
                + idleCount
                + ": this JVM's open-file limit is "
                + jvmFdLimit
                + " and cannot be raised from Java; start it under a higher ulimit -n";

    progress.printf(
        "bench ingest: issuing certificates (%d publishers, %d idle devices) in %s%n",
        options.publishers(), idleCount, dir);
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    PemFiles server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(2))
            .writePem(dir.resolve("tls"), "server");
    Path publisherCerts = dir.resolve("publishers");
    List<MqttLoadGenerator.Device> devices = new ArrayList<>();
    for (int i = 0; i < options.publishers(); i++) {
      String id = String.format("%s%04d", PUBLISHER_PREFIX, i);
      PemFiles pem = ca.issueDevice(id, Validity.days(2)).writePem(publisherCerts, id);
      KeyManagerFactory key =
          PemCredentials.keyManagerFactory(pem.certificateChain(), pem.privateKey());
      devices.add(new MqttLoadGenerator.Device(id, Optional.of(key)));
    }
    Path idleCerts = dir.resolve("idle");
    for (int i = 0; i < idleCount; i++) {
      String id = String.format("%s%05d", IDLE_PREFIX, i);
      ca.issueDevice(id, Validity.days(2)).writePem(idleCerts, id);
    }
    Path rootCa = ca.rootCertificateFile();
    TrustManagerFactory trust = PemCredentials.trustManagerFactory(rootCa);

    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("cores", Integer.toString(cores));
    environment.put("java", System.getProperty("java.version"));
    environment.put("max_heap_mib", Long.toString(Runtime.getRuntime().maxMemory() >> 20));
    environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    environment.put("mosquitto", MosquittoBroker.version());
    environment.put("jvm_open_file_limit", Long.toString(jvmFdLimit));
    environment.put("work_dir", dir.toString());

    AuditgateConfig config =
        AuditgateConfig.defaults()
            .withGateway(new GatewayConfig("gw-bench", dir.resolve("gateway")))
            .withTls(TlsConfig.of(server.certificateChain(), server.privateKey(), rootCa))
            .withMqtt(
                new MqttConfig(
                    "127.0.0.1",
                    0,
                    false,
                    null,
                    idleCount + options.publishers() + 100,
                    1_000_000,
                    options.window(),
                    Duration.ofSeconds(60),
                    null,
                    null))
            .withHttp(HttpIngestConfig.defaults().withBind("127.0.0.1", 0))
            .withDispatch(DispatchConfig.logOnly());

    Throughput auditgate;
    Throughput mosquitto;
    Optional<Idle> idleGateway = Optional.empty();
    Optional<Idle> idleMosquitto = Optional.empty();
    MosquittoBroker.Tls mosquittoTls =
        new MosquittoBroker.Tls(rootCa, server.certificateChain(), server.privateKey());
    try (Gateway gateway = Gateway.start(config, clock);
        MosquittoBroker broker =
            MosquittoBroker.start(
                dir.resolve("mosquitto"), Optional.of(mosquittoTls), options.window())) {
      progress.printf(
          "bench ingest: gateway on %s, mosquitto (pid %d) on port %d%n",
          gateway.mqttAddress(), broker.pid(), broker.port());
      try (MqttLoadGenerator toGateway =
              MqttLoadGenerator.connect(
                  "localhost",
                  gateway.mqttAddress().getPort(),
                  Optional.of(trust),
                  devices,
                  options.window(),
                  "ag-");
          MqttLoadGenerator toMosquitto =
              MqttLoadGenerator.connect(
                  "localhost",
                  broker.port(),
                  Optional.of(trust),
                  devices,
                  options.window(),
                  "mq-")) {
        progress.printf("bench ingest: warming up %s each%n", options.warmup());
        if (!options.warmup().isZero()) {
          toGateway.run(options.warmup());
          toMosquitto.run(options.warmup());
        }
        List<Measured> gatewayRounds = new ArrayList<>();
        List<Measured> mosquittoRounds = new ArrayList<>();
        for (int r = 0; r < options.rounds(); r++) {
          boolean gatewayFirst = r % 2 == 0;
          for (int k = 0; k < 2; k++) {
            boolean isGateway = (k == 0) == gatewayFirst;
            Measured m =
                isGateway
                    ? measure(toGateway, Optional.empty())
                    : measure(toMosquitto, Optional.of(broker.pid()));
            (isGateway ? gatewayRounds : mosquittoRounds).add(m);
            progress.printf(
                "bench ingest: round %d/%d %-9s %9.0f msg/s  p50 %.2f ms  p99 %.2f ms"
                    + "  cpu: generator %.0f%% broker %.0f%% machine %.0f%%  failed %d%n",
                r + 1,
                options.rounds(),
                isGateway ? "auditgate" : "mosquitto",
                m.window.perSecond(),
                m.window.quantileMillis(0.5),
                m.window.quantileMillis(0.99),
                m.generatorShare * 100,
                m.brokerShare * 100,
                m.machineShare * 100,
                m.window.failed());
          }
        }
        auditgate = combine(gatewayRounds);
        mosquitto = combine(mosquittoRounds);
      }

      if (idleCount > 0) {
        progress.printf("bench ingest: %d idle mTLS connections to the gateway%n", idleCount);
        idleGateway =
            Optional.of(
                idle(
                    "localhost",
                    gateway.mqttAddress().getPort(),
                    ProcStats.self(),
                    true,
                    rootCa,
                    idleCerts,
                    idleCount,
                    dir));
        progress.printf("bench ingest: %d idle mTLS connections to mosquitto%n", idleCount);
        idleMosquitto =
            Optional.of(
                idle(
                    "localhost",
                    broker.port(),
                    broker.pid(),
                    false,
                    rootCa,
                    idleCerts,
                    idleCount,
                    dir));
      }
    }
    return new IngestBenchResult(
        startedAt,
        Duration.ofNanos(System.nanoTime() - start),
        options.withIdleConnections(options.idleConnections()),
        environment,
        auditgate,
        mosquitto,
        idleGateway,
        idleMosquitto,
        idleNote);
  }

  /** One measured round and the CPU shares during it. */
  private record Measured(
      MqttLoadGenerator.Window window,
      double generatorShare,
      double brokerShare,
      double jvmShare,
      double machineShare) {}

  private Measured measure(MqttLoadGenerator generator, Optional<Long> brokerPid) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long jvmBefore = os.getProcessCpuTime();
    long brokerBefore = brokerPid.map(ProcStats::cpuNanos).orElse(0L);
    long[] machineBefore = ProcStats.machineTicks();
    MqttLoadGenerator.Window w = generator.run(options.round());
    long[] machineAfter = ProcStats.machineTicks();
    long jvm = os.getProcessCpuTime() - jvmBefore;
    long machineTotal = Math.max(1, machineAfter[1] - machineBefore[1]);
    double machineShare = (machineAfter[0] - machineBefore[0]) / (double) machineTotal;
    long broker = brokerPid.map(p -> ProcStats.cpuNanos(p) - brokerBefore).orElse(0L);
    double capacity = (double) w.wallNanos() * cores;
    double generatorShare = w.generatorCpuNanos() / capacity;
    // The gateway shares the JVM with the generator: its share is the rest of the JVM's time.
    // Both are measured until the drain after the window too, a slight overestimate for either.
    double brokerShare =
        brokerPid.isPresent() ? broker / capacity : (jvm - w.generatorCpuNanos()) / capacity;
    return new Measured(w, generatorShare, brokerShare, jvm / capacity, machineShare);
  }

  private Throughput combine(List<Measured> rounds) {
    long acked = 0;
    long failed = 0;
    long wall = 0;
    double generator = 0;
    double broker = 0;
    double jvm = 0;
    double machine = 0;
    List<Double> rates = new ArrayList<>();
    List<long[]> samples = new ArrayList<>();
    for (Measured m : rounds) {
      acked += m.window.acknowledged();
      failed += m.window.failed();
      wall += m.window.wallNanos();
      generator += m.generatorShare * m.window.wallNanos();
      broker += m.brokerShare * m.window.wallNanos();
      jvm += m.jvmShare * m.window.wallNanos();
      machine += m.machineShare * m.window.wallNanos();
      rates.add(m.window.perSecond());
      samples.add(m.window.latenciesNanos());
    }
    long[] all = samples.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    MqttLoadGenerator.Window merged = new MqttLoadGenerator.Window(acked, failed, all, wall, 0);
    return new Throughput(
        rates,
        acked,
        failed,
        wall / 1e9,
        all.length,
        merged.quantileMillis(0.5),
        merged.quantileMillis(0.99),
        all.length == 0 ? Double.NaN : all[all.length - 1] / 1e6,
        wall == 0 ? 0 : generator / wall,
        wall == 0 ? 0 : broker / wall,
        wall == 0 ? 0 : jvm / wall,
        wall == 0 ? 0 : machine / wall,
        acked == 0 ? Double.NaN : broker * cores / 1e3 / acked);
  }

  private Idle idle(
      String host,
      int port,
      long pid,
      boolean inThisJvm,
      Path rootCa,
      Path certs,
      int count,
      Path dir) {
    Optional<Long> heapBefore = inThisJvm ? Optional.of(heapAfterGc()) : Optional.empty();
    Optional<Long> committedBefore = inThisJvm ? Optional.of(heapCommitted()) : Optional.empty();
    long rssBefore = ProcStats.rssBytes(pid);
    long start = System.nanoTime();
    try (IdleConnections idle =
        IdleConnections.open(host, port, rootCa, certs, IDLE_PREFIX, count, 64, dir, progress)) {
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      sleep(2_000);
      Optional<Long> heapAfter = inThisJvm ? Optional.of(heapAfterGc()) : Optional.empty();
      Optional<Long> committedAfter = inThisJvm ? Optional.of(heapCommitted()) : Optional.empty();
      long rssAfter = ProcStats.rssBytes(pid);
      IdleConnections.Opened opened = idle.opened();
      progress.printf(
          "bench ingest: %d open, %d failed in %.1f s; RSS %+.1f MiB%s%n",
          opened.open(),
          opened.failed(),
          connectSeconds,
          (rssAfter - rssBefore) / 1048576.0,
          heapAfter
              .map(h -> String.format(", heap %+.1f MiB", (h - heapBefore.get()) / 1048576.0))
              .orElse(""));
      return new Idle(
          count,
          opened.open(),
          opened.failed(),
          opened.firstError(),
          connectSeconds,
          rssBefore,
          rssAfter,
          heapBefore,
          heapAfter,
          committedBefore,
          committedAfter);
    }
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
      sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long heapCommitted() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
