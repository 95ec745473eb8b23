package io.auditgate.web.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-address limit on failed token attempts, on a clock the test moves. */
class FailedTokenAttemptsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private final FailedTokenAttempts attempts =
      new FailedTokenAttempts(3, Duration.ofSeconds(60), clock);

  @Test
  void anAddressIsRefusedAfterTheLimitUntilItsOldestFailureLeavesTheWindow() {
    attempts.failed("192.0.2.1");
    clock.advance(Duration.ofSeconds(10));
    attempts.failed("192.0.2.1");
    assertThat(attempts.refusal("192.0.2.1")).as("two of three").isEmpty();
    clock.advance(Duration.ofSeconds(10));
    attempts.failed("192.0.2.1");

    assertThat(attempts.refusal("192.0.2.1")).contains(Duration.ofSeconds(40));
    assertThat(attempts.refusal("198.51.100.7")).as("another address").isEmpty();

    clock.advance(Duration.ofSeconds(39));
    assertThat(attempts.refusal("192.0.2.1")).contains(Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    assertThat(attempts.refusal("192.0.2.1"))
        .as("the first failure is 60 s old: two remain in the window")
        .isEmpty();

    assertThat(attempts.metrics().failedAttempts()).isEqualTo(3);
    assertThat(attempts.metrics().refusedAttempts()).isEqualTo(2);
  }

  @Test
  void failuresSpreadWiderThanTheWindowNeverReachTheLimit() {
    for (int i = 0; i < 20; i++) {
      attempts.failed("192.0.2.1");
      assertThat(attempts.refusal("192.0.2.1")).isEmpty();
      clock.advance(Duration.ofSeconds(31));
    }
    assertThat(attempts.metrics().refusedAttempts()).isZero();
  }

  @Test
  void aRefusalNeverWaitsLessThanOneSecond() {
    for (int i = 0; i < 3; i++) {
      attempts.failed("192.0.2.1");
    }
    clock.advance(Duration.ofMillis(59_800));
    assertThat(attempts.refusal("192.0.2.1")).contains(Duration.ofSeconds(1));
  }

  @Test
  void memoryIsBoundedByTrackedAddresses() {
    for (int i = 0; i < FailedTokenAttempts.MAX_TRACKED_ADDRESSES + 50; i++) {
      attempts.failed("10.0." + (i / 256) + "." + (i % 256));
    }
    assertThat(attempts.metrics().trackedAddresses())
        .isEqualTo(FailedTokenAttempts.MAX_TRACKED_ADDRESSES);
  }

  @Test
  void unlimitedCountsButNeverRefuses() {
    FailedTokenAttempts none = FailedTokenAttempts.unlimited();
    for (int i = 0; i < 100; i++) {
      none.failed("192.0.2.1");
    }
    assertThat(none.refusal("192.0.2.1")).isEmpty();
    assertThat(none.metrics().failedAttempts()).isEqualTo(100);
    assertThat(none.metrics().trackedAddresses()).isZero();
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new FailedTokenAttempts(0, Duration.ofSeconds(1), clock))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new FailedTokenAttempts(1, Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
