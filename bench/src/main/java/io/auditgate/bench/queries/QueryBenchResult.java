package io.auditgate.bench.queries;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one run of {@code auditgate bench queries} measured: per dashboard question, the latency of
 * the fleet read model and of the naive SQL over the raw points, p50 and p95.
 */
public record QueryBenchResult(
    Instant startedAt,
    Duration elapsed,
    int cores,
    double loadAverageAtStart,
    double loadAverageAtEnd,
    QueryBenchOptions options,
    List<Question> questions) {
  /** The target: every dashboard query answers within 100 ms at the 95th percentile. */
  public static final double TARGET_P95_MILLIS = 100;

  public QueryBenchResult {
    questions = List.copyOf(questions);
  }

  /** One question: the read model's timings and the naive SQL's. */
  public record Question(String name, String description, Timings readModel, Timings naive) {
    public boolean targetMet() {
      return readModel.p95() <= TARGET_P95_MILLIS;
    }

    /** How many times faster the read model is at the median. */
    public double speedup() {
      return naive.p50() / readModel.p50();
    }
  }

  public boolean allTargetsMet() {
    return questions.stream().allMatch(Question::targetMet);
  }

  public String toJson() {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("benchmark", "auditgate bench queries");
    root.put("started_at", startedAt.toString());
    root.put("elapsed_seconds", round(elapsed.toMillis() / 1000.0));
    ObjectNode m = root.putObject("machine");
    m.put("cores", cores);
    m.put("java_version", System.getProperty("java.version"));
    m.put("load_average_at_start", round(loadAverageAtStart));
    m.put("load_average_at_end", round(loadAverageAtEnd));
    ObjectNode s = root.putObject("settings");
    s.put("devices", options.devices());
    s.put("gateways", options.gateways());
    s.put("points", options.points());
    s.put("metrics_per_message", options.metricsPerMessage());
    s.put("interval", options.interval().toString());
    s.put("history", options.history().toString());
    s.put("stale_devices", options.staleDevices());
    s.put("never_seen_devices", options.neverSeenDevices());
    s.put("read_model_runs", options.iterations());
    s.put("naive_runs", options.naiveIterations());
    s.put(
        "data",
        "points by COPY in time order into the daily partitions; rollups, latest values, devices"
            + " and gateways derived from them by SQL; fleet state by one monitor evaluation");
    ArrayNode qs = root.putArray("questions");
    for (Question q : questions) {
      ObjectNode o = qs.addObject();
      o.put("name", q.name());
      o.put("question", q.description());
      o.put("read_model_p50_ms", round(q.readModel().p50()));
      o.put("read_model_p95_ms", round(q.readModel().p95()));
      o.put("naive_p50_ms", round(q.naive().p50()));
      o.put("naive_p95_ms", round(q.naive().p95()));
      o.put("speedup_at_p50", round(q.speedup()));
      o.put("target_p95_ms", TARGET_P95_MILLIS);
      o.put("target_met", q.targetMet());
    }
    root.put("all_targets_met", allTargetsMet());
    try {
      return mapper.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
