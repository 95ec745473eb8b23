package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.ingest.http.AuthenticationTest.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeviceRateLimiterTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void allowsABurstOfOneSecondThenTheRate() {
    DeviceRateLimiter limiter = new DeviceRateLimiter(4, clock);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquire("a")).isEmpty();
    }
    assertThat(limiter.tryAcquire("a")).hasValue(Duration.ofMillis(250));
    assertThat(limiter.tryAcquire("b")).as("buckets are per device").isEmpty();

    clock.advance(Duration.ofMillis(250));
    assertThat(limiter.tryAcquire("a")).isEmpty();
    assertThat(limiter.tryAcquire("a")).isPresent();
  }

  @Test
  void aClockSteppedBackDoesNotRefillOrDrain() {
    DeviceRateLimiter limiter = new DeviceRateLimiter(1, clock);
    assertThat(limiter.tryAcquire("a")).isEmpty();
    clock.advance(Duration.ofHours(-1));
    assertThat(limiter.tryAcquire("a")).isPresent();
    clock.advance(Duration.ofHours(1).plusSeconds(1));
    assertThat(limiter.tryAcquire("a")).isEmpty();
  }

  @Test
  void zeroMeansUnlimited() {
    DeviceRateLimiter limiter = new DeviceRateLimiter(0, clock);
    for (int i = 0; i < 1000; i++) {
      assertThat(limiter.tryAcquire("a")).isEmpty();
    }
  }
}
