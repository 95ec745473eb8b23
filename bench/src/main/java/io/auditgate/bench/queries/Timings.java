package io.auditgate.bench.queries;

import java.util.Arrays;

/**
 * Latencies of one query, in milliseconds, and their percentiles (nearest rank).
 *
 * @param millis every timed run, in the order they ran
 */
record Timings(double[] millis) {
  Timings {
    if (millis.length == 0) {
      throw new IllegalArgumentException("no timed runs");
    }
    millis = millis.clone();
  }

  /** Times {@code runs} calls of {@code query} after {@code warmups} untimed ones. */
  static Timings of(int warmups, int runs, Query query) throws Exception {
    for (int i = 0; i < warmups; i++) {
      query.run(i);
    }
    double[] millis = new double[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      query.run(warmups + i);
      millis[i] = (System.nanoTime() - t0) / 1e6;
    }
    return new Timings(millis);
  }

  double percentile(double p) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  double p50() {
    return percentile(50);
  }

  double p95() {
    return percentile(95);
  }

  int runs() {
    return millis.length;
  }

  /** One run of a query; {@code i} varies the parameters (which device) from run to run. */
  @FunctionalInterface
  interface Query {
    void run(int i) throws Exception;
  }
}
