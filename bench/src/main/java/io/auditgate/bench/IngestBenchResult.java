package io.auditgate.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The outcome of {@code auditgate bench ingest}: QoS 1 throughput and PUBACK latency of auditgate
 * (fsync'd log) and Mosquitto under the same generator, their ratio, and the cost of idle
 * connections; {@link #toJson()} is what the command prints.
 */
public record IngestBenchResult(
    Instant startedAt,
    Duration elapsed,
    IngestBenchOptions options,
    Map<String, String> environment,
    Throughput auditgate,
    Throughput mosquitto,
    Optional<Idle> idleAuditgate,
    Optional<Idle> idleMosquitto,
    String idleNote) {
  public static final String AUDITGATE = "auditgate";
  public static final String MOSQUITTO = "mosquitto";
  public static final double MIN_RATIO = 1.0;
  public static final double MAX_P99_MILLIS = 50;
  public static final long MAX_HEAP_FOR_10K = 1L << 30;
  public static final String TRANSPORT =
      "MQTT 5 over TLS with a client certificate per connection (mutual TLS) to both brokers";
  public static final String TRANSPORT_REASON =
      "devices reach auditgate over mutual TLS in production and the idle-connection part must use"
          + " it; giving Mosquitto the same listener (cafile/certfile/keyfile,"
          + " require_certificate) puts the same TLS cost on both sides, so the ratio isolates"
          + " durability and ingest cost";

  /**
   * QoS 1 figures of one target over all measured rounds.
   *
   * @param roundRates acknowledged messages per second of each round
   * @param generatorCpuShare CPU time of the generator's I/O threads over wall time × cores
   * @param serverCpuShare CPU time of the broker over wall time × cores (for auditgate: the JVM
   *     minus the generator's threads)
   * @param jvmCpuShare CPU time of this whole JVM over wall time × cores (for Mosquitto rounds: the
   *     generator and an idle gateway)
   * @param machineCpuShare busy CPU time of the whole machine over wall time × cores
   * @param brokerCpuMicrosPerMessage the broker's CPU time per acknowledged message
   */
  public record Throughput(
      List<Double> roundRates,
      long acknowledged,
      long failed,
      double measuredSeconds,
      long samples,
      double p50Millis,
      double p99Millis,
      double maxMillis,
      double generatorCpuShare,
      double serverCpuShare,
      double jvmCpuShare,
      double machineCpuShare,
      double brokerCpuMicrosPerMessage) {
    public double perSecond() {
      return measuredSeconds == 0 ? 0 : acknowledged / measuredSeconds;
    }
  }

  /**
   * Idle mutual-TLS connections held open against one target.
   *
   * @param heapUsedBeforeBytes heap in use after a full GC before connecting; empty for Mosquitto
   * @param heapUsedAfterBytes the same with every connection open
   * @param heapCommittedBeforeBytes heap committed at the first measurement; empty for Mosquitto
   * @param heapCommittedAfterBytes heap committed at the second
   */
  public record Idle(
      int requested,
      int open,
      int failed,
      String firstError,
      double connectSeconds,
      long rssBeforeBytes,
      long rssAfterBytes,
      Optional<Long> heapUsedBeforeBytes,
      Optional<Long> heapUsedAfterBytes,
      Optional<Long> heapCommittedBeforeBytes,
      Optional<Long> heapCommittedAfterBytes) {
    public double rssPerConnection() {
      return open == 0 ? Double.NaN : (rssAfterBytes - rssBeforeBytes) / (double) open;
    }

    /** RSS growth outside the committed heap per connection: native TLS and socket buffers. */
    public Optional<Double> offHeapRssPerConnection() {
      if (open == 0 || heapCommittedBeforeBytes.isEmpty() || heapCommittedAfterBytes.isEmpty()) {
        return Optional.empty();
      }
      long before = rssBeforeBytes - heapCommittedBeforeBytes.get();
      long after = rssAfterBytes - heapCommittedAfterBytes.get();
      return Optional.of((after - before) / (double) open);
    }

    public Optional<Double> heapPerConnection() {
      if (open == 0 || heapUsedBeforeBytes.isEmpty() || heapUsedAfterBytes.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of((heapUsedAfterBytes.get() - heapUsedBeforeBytes.get()) / (double) open);
    }
  }

  /** One target of the issue and whether this run met it. */
  public record Target(String name, String goal, Double actual, boolean met) {}

  public double ratio() {
    return mosquitto.perSecond() == 0 ? 0 : auditgate.perSecond() / mosquitto.perSecond();
  }

  /** Heap the gateway would use with 10,000 idle connections: baseline plus 10,000 × measured. */
  public Optional<Double> projectedHeapFor10k() {
    return idleAuditgate.flatMap(
        i -> i.heapPerConnection().map(per -> i.heapUsedBeforeBytes().orElse(0L) + per * 10_000));
  }

  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    targets.add(
        new Target(
            "throughput_ratio",
            "auditgate acknowledged QoS 1 messages/s ≥ 1.0 × Mosquitto's, every one fsync'd",
            ratio(),
            auditgate.acknowledged() > 0 && ratio() >= MIN_RATIO));
    targets.add(
        new Target(
            "puback_p99",
            "auditgate PUBACK p99 < 50 ms",
            auditgate.p99Millis(),
            auditgate.samples() > 0 && auditgate.p99Millis() < MAX_P99_MILLIS));
    if (idleAuditgate.isPresent()) {
      Optional<Double> heap = projectedHeapFor10k();
      Idle idle = idleAuditgate.get();
      targets.add(
          new Target(
              "idle_heap_10k",
              "gateway heap ≤ 1 GiB with 10,000 idle mTLS connections (measured at "
                  + idle.open()
                  + ", projected to 10,000)",
              heap.map(h -> h / (1 << 20)).orElse(null),
              idle.failed() == 0 && heap.isPresent() && heap.get() <= MAX_HEAP_FOR_10K));
    }
    return targets;
  }

  public boolean allTargetsMet() {
    return targets().stream().allMatch(Target::met);
  }

  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "auditgate bench ingest");
    root.put("started_at", startedAt.toString());
    root.put("elapsed_seconds", round(elapsed.toMillis() / 1000.0, 1));
    ObjectNode env = root.putObject("environment");
    environment.forEach(env::put);

    ObjectNode s = root.putObject("settings");
    s.put("transport", TRANSPORT);
    s.put("transport_reason", TRANSPORT_REASON);
    s.put("qos", 1);
    s.put("payload_bytes", MqttLoadGenerator.PAYLOAD_BYTES);
    s.put("payload", "seed JSON {\"seq\":N,\"metrics\":{…},\"tags\":{\"pad\":\"x…\"}}");
    s.put("topic", "devices/{id}/telemetry");
    s.put("publishing_connections", options.publishers());
    s.put("window_per_connection", options.window());
    s.put("rounds", options.rounds());
    s.put("round_seconds", options.round().toMillis() / 1000.0);
    s.put("warmup_seconds", options.warmup().toMillis() / 1000.0);
    s.put("order", "interleaved: auditgate, mosquitto, then mosquitto, auditgate, …");
    s.put(
        "auditgate",
        "in-process Gateway, default WAL settings: PUBACK only after the record is fsync'd"
            + " (group commit)");
    s.put(
        "mosquitto",
        "child process, persistence true (Debian default: the database is written at"
            + " autosave_interval and on shutdown, not per message),"
            + " max_inflight_messages = window");

    ObjectNode t = root.putObject("throughput");
    t.set(AUDITGATE, throughputJson(mapper, auditgate));
    t.set(MOSQUITTO, throughputJson(mapper, mosquitto));
    t.put("ratio_auditgate_to_mosquitto", round(ratio(), 3));

    ObjectNode idle = root.putObject("idle_connections");
    idle.put("requested", options.idleConnections());
    idle.put("note", idleNote);
    idleAuditgate.ifPresent(i -> idle.set(AUDITGATE, idleJson(mapper, i)));
    idleMosquitto.ifPresent(i -> idle.set(MOSQUITTO, idleJson(mapper, i)));
    projectedHeapFor10k()
        .ifPresent(
            h -> idle.put("auditgate_projected_heap_mib_for_10000", round(h / (1 << 20), 1)));

    ArrayNode targets = root.putArray("targets");
    for (Target target : targets()) {
      ObjectNode n = targets.addObject();
      n.put("name", target.name());
      n.put("goal", target.goal());
      if (target.actual() == null) {
        n.putNull("actual");
      } else {
        n.put("actual", round(target.actual(), 3));
      }
      n.put("met", target.met());
    }
    root.put("all_targets_met", allTargetsMet());
    try {
      return mapper.writeValueAsString(root);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ObjectNode throughputJson(ObjectMapper mapper, Throughput t) {
    ObjectNode n = mapper.createObjectNode();
    n.put("acknowledged_per_second", round(t.perSecond(), 1));
    ArrayNode rounds = n.putArray("rounds_per_second");
    t.roundRates().forEach(r -> rounds.add(round(r, 1)));
    n.put("acknowledged", t.acknowledged());
    n.put("failed", t.failed());
    n.put("measured_seconds", round(t.measuredSeconds(), 2));
    n.put("puback_latency_samples", t.samples());
    n.put("puback_p50_ms", round(t.p50Millis(), 3));
    n.put("puback_p99_ms", round(t.p99Millis(), 3));
    n.put("puback_max_ms", round(t.maxMillis(), 3));
    n.put("generator_cpu_share", round(t.generatorCpuShare(), 3));
    n.put("broker_cpu_share", round(t.serverCpuShare(), 3));
    n.put("jvm_cpu_share", round(t.jvmCpuShare(), 3));
    n.put("machine_cpu_share", round(t.machineCpuShare(), 3));
    n.put("broker_cpu_us_per_message", round(t.brokerCpuMicrosPerMessage(), 2));
    return n;
  }

  private static ObjectNode idleJson(ObjectMapper mapper, Idle i) {
    ObjectNode n = mapper.createObjectNode();
    n.put("requested", i.requested());
    n.put("open", i.open());
    n.put("failed", i.failed());
    if (!i.firstError().isEmpty()) {
      n.put("first_error", i.firstError());
    }
    n.put("connect_seconds", round(i.connectSeconds(), 1));
    n.put("rss_before_mib", round(i.rssBeforeBytes() / 1048576.0, 1));
    n.put("rss_after_mib", round(i.rssAfterBytes() / 1048576.0, 1));
    n.put("rss_bytes_per_connection", round(i.rssPerConnection(), 0));
    i.heapUsedBeforeBytes().ifPresent(h -> n.put("heap_used_before_mib", round(h / 1048576.0, 1)));
    i.heapUsedAfterBytes().ifPresent(h -> n.put("heap_used_after_mib", round(h / 1048576.0, 1)));
    i.heapPerConnection().ifPresent(h -> n.put("heap_bytes_per_connection", round(h, 0)));
    i.offHeapRssPerConnection()
        .ifPresent(h -> n.put("rss_outside_heap_bytes_per_connection", round(h, 0)));
    return n;
  }

  private static Double round(double value, int digits) {
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      return null;
    }
    double scale = Math.pow(10, digits);
    return Math.round(value * scale) / scale;
  }
}
