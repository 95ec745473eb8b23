package io.auditgate.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BucketingTest {
  @Test
  void picksTheSmallestRoundWidthWithAtMost300Buckets() {
    assertThat(Bucketing.auto(Duration.ofMinutes(5), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(1));
    assertThat(Bucketing.auto(Duration.ofHours(1), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofSeconds(30));
    assertThat(Bucketing.auto(Duration.ofHours(24), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(Bucketing.auto(Duration.ofDays(7), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofHours(1));
    assertThat(Bucketing.auto(Duration.ofDays(366), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofDays(2));
  }

  @Test
  void respectsTheMinimum() {
    assertThat(Bucketing.auto(Duration.ofMinutes(5), Duration.ofMinutes(1)))
        .isEqualTo(Duration.ofMinutes(1));
  }
}
