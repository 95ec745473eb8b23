package io.auditgate.app.observability;

import io.auditgate.core.metrics.HistogramSnapshot;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Registers callback metrics over snapshot suppliers: every value is read when Prometheus scrapes,
 * so nothing is added to the data path. Registration is not thread-safe (it happens once, at
 * wiring); the callbacks are as thread-safe as the suppliers, which are snapshot methods.
 */
final class MetricBinder {
  /**
   * Buckets exported from our power-of-two histograms: 1 µs (or 1 unit) up to 2^24 (16.8 s), the
   * rest folded into +Inf. 26 series per histogram rather than 41, and nothing an operator acts on
   * is lost: an fsync of more than 16 s is an outage whatever its exact length.
   */
  static final int EXPORTED_BUCKETS = 25;

  private final PrometheusRegistry registry;

  MetricBinder(PrometheusRegistry registry) {
    this.registry = registry;
  }

  /** A counter read from one field of a snapshot. */
  <T> void counter(String name, String help, Supplier<T> snapshot, ToDoubleFunction<T> value) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.applyAsDouble(snapshot.get())))
        .register(registry);
  }

  /** A counter with one label, one series per map entry (keys must be low-cardinality codes). */
  <T> void counterByLabel(
      String name,
      String help,
      String label,
      Supplier<T> snapshot,
      java.util.function.Function<T, Map<String, ? extends Number>> values) {
    CounterWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(cb -> values.apply(snapshot.get()).forEach((k, v) -> cb.call(v.doubleValue(), k)))
        .register(registry);
  }

  /** A gauge read from one field of a snapshot. */
  <T> void gauge(String name, String help, Supplier<T> snapshot, ToDoubleFunction<T> value) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .callback(cb -> cb.call(value.applyAsDouble(snapshot.get())))
        .register(registry);
  }

  /** A gauge with one label, one series per map entry. */
  <T> void gaugeByLabel(
      String name,
      String help,
      String label,
      Supplier<T> snapshot,
      java.util.function.Function<T, Map<String, ? extends Number>> values) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(label)
        .callback(cb -> values.apply(snapshot.get()).forEach((k, v) -> cb.call(v.doubleValue(), k)))
        .register(registry);
  }

  /** A gauge with several labels: one series per entry, keyed by the label values in order. */
  <T> void gaugeByLabels(
      String name,
      String help,
      String[] labels,
      Supplier<T> snapshot,
      java.util.function.Function<T, Map<java.util.List<String>, ? extends Number>> values) {
    GaugeWithCallback.builder()
        .name(name)
        .help(help)
        .labelNames(labels)
        .callback(
            cb ->
                values
                    .apply(snapshot.get())
                    .forEach((k, v) -> cb.call(v.doubleValue(), k.toArray(String[]::new))))
        .register(registry);
  }

  /**
   * A histogram from one of our {@link io.auditgate.core.metrics.Histogram}s.
   *
   * @param name ends with the unit, for example {@code _seconds}
   * @param scale multiplies the recorded values into the exported unit (1e-6 for microseconds to
   *     seconds)
   */
  void histogram(String name, String help, Supplier<HistogramSnapshot> snapshot, double scale) {
    MetricMetadata metadata = new MetricMetadata(name, help);
    registry.register(
        new Collector() {
          @Override
          public MetricSnapshot collect() {
            return prometheusHistogram(metadata, snapshot.get(), scale);
          }

          @Override
          public String getPrometheusName() {
            return name;
          }
        });
  }

  /** Maps power-of-two buckets ({@code counts[i]} at most {@code 2^i}) to classic buckets. */
  static io.prometheus.metrics.model.snapshots.HistogramSnapshot prometheusHistogram(
      MetricMetadata metadata, HistogramSnapshot ours, double scale) {
    long[] counts = ours.counts();
    double[] bounds = new double[EXPORTED_BUCKETS + 1];
    long[] perBucket = new long[EXPORTED_BUCKETS + 1];
    for (int i = 0; i < counts.length; i++) {
      int to = Math.min(i, EXPORTED_BUCKETS);
      perBucket[to] += counts[i];
    }
    for (int i = 0; i < EXPORTED_BUCKETS; i++) {
      bounds[i] = HistogramSnapshot.upperBound(i) * scale;
    }
    bounds[EXPORTED_BUCKETS] = Double.POSITIVE_INFINITY;
    return io.prometheus.metrics.model.snapshots.HistogramSnapshot.builder()
        .name(metadata.getName())
        .help(metadata.getHelp())
        .dataPoint(
            io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot
                .builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, perBucket))
                .sum(ours.sum() * scale)
                .build())
        .build();
  }
}
