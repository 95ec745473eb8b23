package io.auditgate.core.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static Random fixed(double value) {
    return new Random() {
      @Override
      public double nextDouble() {
        return value;
      }
    };
  }

  @Test
  void ceilingsDoubleFromTheInitialDelayUpToTheCap() {
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(1));
    assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.ceiling(8)).isEqualTo(Duration.ofMillis(25_600));
    assertThat(backoff.ceiling(9)).isEqualTo(Duration.ofSeconds(30));
    // Far past the point where 100 ms × 2^n overflows a long, still the cap.
    assertThat(backoff.ceiling(1_000)).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void delaysAreDrawnFromZeroToTheCeiling() {
    assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), fixed(0)).delay(3))
        .isZero();
    assertThat(new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), fixed(0.5)).delay(3))
        .isEqualTo(Duration.ofMillis(400));
    Backoff real = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(30), new Random(42));
    long distinct =
        java.util.stream.IntStream.range(0, 200)
            .mapToObj(i -> real.delay(20))
            .peek(d -> assertThat(d).isBetween(Duration.ZERO, Duration.ofSeconds(30)))
            .distinct()
            .count();
    assertThat(distinct).as("jittered, not constant").isGreaterThan(150);
  }

  @Test
  void refusesAnInitialDelayAboveTheCap() {
    assertThatThrownBy(
            () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new Random()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
