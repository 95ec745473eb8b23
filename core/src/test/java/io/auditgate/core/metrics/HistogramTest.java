package io.auditgate.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HistogramTest {
  /** The largest value with a bucket of its own: 2^39. */
  private static final long TOP = 1L << (Histogram.BUCKETS - 1);

  @ParameterizedTest(name = "{0} goes to bucket {1}")
  @CsvSource({
    "0, 0",
    "1, 0",
    "2, 1",
    "3, 2",
    "4, 2",
    "5, 3",
    "8, 3",
    "9, 4",
    "1023, 10",
    "1024, 10",
    "1025, 11",
    "549755813888, 39", // 2^39, the last bucket's bound
  })
  void bucketsAreBoundedAboveByPowersOfTwo(long value, int bucket) {
    assertThat(Histogram.bucketOf(value)).isEqualTo(bucket);
    assertThat(HistogramSnapshot.upperBound(bucket)).isGreaterThanOrEqualTo(value);
    if (bucket > 0) {
      assertThat(HistogramSnapshot.upperBound(bucket - 1)).isLessThan(value);
    }
  }

  @Test
  void everyPowerOfTwoIsTheTopOfItsBucket() {
    for (int i = 0; i < Histogram.BUCKETS; i++) {
      long bound = HistogramSnapshot.upperBound(i);
      assertThat(bound).isEqualTo(1L << i);
      assertThat(Histogram.bucketOf(bound)).as("2^%d", i).isEqualTo(i);
      if (i + 1 < Histogram.BUCKETS) {
        assertThat(Histogram.bucketOf(bound + 1)).as("2^%d + 1", i).isEqualTo(i + 1);
      }
    }
  }

  @Test
  void valuesAboveTheLastBoundGoToTheLastBucket() {
    assertThat(Histogram.bucketOf(TOP + 1)).isEqualTo(Histogram.BUCKETS - 1);
    assertThat(Histogram.bucketOf(Long.MAX_VALUE)).isEqualTo(Histogram.BUCKETS - 1);
  }

  @Test
  void recordsCountsAndSumAndCountsNegativesAsZero() {
    Histogram histogram = new Histogram();
    histogram.record(3);
    histogram.record(3);
    histogram.record(100);
    histogram.record(-5);

    HistogramSnapshot snapshot = histogram.snapshot();

    assertThat(snapshot.count()).isEqualTo(4);
    assertThat(snapshot.sum()).isEqualTo(106);
    assertThat(snapshot.mean()).isEqualTo(26.5);
    assertThat(snapshot.counts()[0]).isEqualTo(1);
    assertThat(snapshot.counts()[2]).isEqualTo(2);
    assertThat(snapshot.counts()[7]).isEqualTo(1);
    assertThat(snapshot.counts()).hasSize(Histogram.BUCKETS);
  }

  @Test
  void emptySnapshotAnswersZero() {
    HistogramSnapshot empty = new Histogram().snapshot();

    assertThat(empty).isEqualTo(HistogramSnapshot.empty());
    assertThat(empty.count()).isZero();
    assertThat(empty.mean()).isZero();
    assertThat(empty.quantileUpperBound(0.99)).isZero();
  }

  @Test
  void quantilesOfAKnownDistribution() {
    Histogram histogram = new Histogram();
    for (int v = 1; v <= 100; v++) {
      histogram.record(v);
    }
    HistogramSnapshot snapshot = histogram.snapshot();

    assertThat(snapshot.quantileUpperBound(0)).isEqualTo(1);
    assertThat(snapshot.quantileUpperBound(0.01)).isEqualTo(1);
    assertThat(snapshot.quantileUpperBound(0.02)).isEqualTo(2);
    assertThat(snapshot.quantileUpperBound(0.5)).isEqualTo(64); // the 50th value, 50
    assertThat(snapshot.quantileUpperBound(0.64)).isEqualTo(64);
    assertThat(snapshot.quantileUpperBound(0.65)).isEqualTo(128);
    assertThat(snapshot.quantileUpperBound(1)).isEqualTo(128);
  }

  @Test
  void quantileOutsideZeroToOneIsRejected() {
    HistogramSnapshot snapshot = new Histogram().snapshot();

    assertThatThrownBy(() -> snapshot.quantileUpperBound(-0.01))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> snapshot.quantileUpperBound(1.01))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * The bound a quantile reports is never below the true quantile and at most twice it (for values
   * up to the last bucket's bound, 2^39), on random data of very different shapes.
   */
  @RepeatedTest(50)
  void quantileUpperBoundNeverUnderEstimatesAndIsWithinAFactorOfTwo(RepetitionInfo repetition) {
    Random random = new Random(repetition.getCurrentRepetition());
    int n = 1 + random.nextInt(2000);
    int maxBits = 1 + random.nextInt(39);
    long[] values = new long[n];
    Histogram histogram = new Histogram();
    for (int i = 0; i < n; i++) {
      values[i] = random.nextLong(1L << maxBits) + (random.nextBoolean() ? 1 : 0);
      histogram.record(values[i]);
    }
    Arrays.sort(values);
    HistogramSnapshot snapshot = histogram.snapshot();

    for (double q : new double[] {0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1}) {
      long trueQuantile = values[(int) Math.max(0, Math.ceil(q * n) - 1)];
      long bound = snapshot.quantileUpperBound(q);
      assertThat(bound)
          .as("q=%s of %d values", q, n)
          .isGreaterThanOrEqualTo(trueQuantile)
          .isLessThanOrEqualTo(Math.max(1, 2 * trueQuantile));
    }
    assertThat(snapshot.count()).isEqualTo(n);
    assertThat(snapshot.sum()).isEqualTo(Arrays.stream(values).sum());
  }

  @Test
  void snapshotIsACopy() {
    Histogram histogram = new Histogram();
    histogram.record(1);
    HistogramSnapshot snapshot = histogram.snapshot();
    long[] counts = snapshot.counts();

    counts[0] = 99;
    histogram.record(1);

    assertThat(snapshot.counts()[0]).isEqualTo(1);
    assertThat(snapshot.count()).isEqualTo(1);
  }

  @Test
  void concurrentRecordingLosesNothing() throws Exception {
    Histogram histogram = new Histogram();
    int threads = 8;
    int each = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      workers[t] =
          new Thread(
              () -> {
                try {
                  start.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                for (int i = 0; i < each; i++) {
                  histogram.record(i % 100);
                }
              });
      workers[t].start();
    }
    start.countDown();
    for (Thread worker : workers) {
      worker.join();
    }

    HistogramSnapshot snapshot = histogram.snapshot();
    assertThat(snapshot.count()).isEqualTo((long) threads * each);
    assertThat(snapshot.sum()).isEqualTo((long) threads * (each / 100) * (99 * 100 / 2));
  }
}
