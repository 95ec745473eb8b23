package io.auditgate.ingest.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void doublesPerAttemptUpToTheMaximum() {
    ReconnectBackoff longest = new ReconnectBackoff(SECOND, Duration.ofSeconds(10), () -> 0.999999);
    assertThat(longest.delay(0)).isBetween(Duration.ofMillis(999), SECOND);
    assertThat(longest.delay(1)).isBetween(Duration.ofMillis(1999), Duration.ofSeconds(2));
    assertThat(longest.delay(3)).isBetween(Duration.ofMillis(7999), Duration.ofSeconds(8));
    assertThat(longest.delay(4)).isBetween(Duration.ofMillis(9999), Duration.ofSeconds(10));
    assertThat(longest.delay(1000)).isBetween(Duration.ofMillis(9999), Duration.ofSeconds(10));
  }

  @Test
  void jitterTakesOffUpToHalf() {
    ReconnectBackoff shortest = new ReconnectBackoff(SECOND, Duration.ofSeconds(10), () -> 0.0);
    assertThat(shortest.delay(0)).isEqualTo(Duration.ofMillis(500));
    assertThat(shortest.delay(2)).isEqualTo(Duration.ofSeconds(2));
    ReconnectBackoff middle = new ReconnectBackoff(SECOND, Duration.ofSeconds(10), () -> 0.5);
    assertThat(middle.delay(0)).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, SECOND, () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReconnectBackoff(SECOND, Duration.ofMillis(10), () -> 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
