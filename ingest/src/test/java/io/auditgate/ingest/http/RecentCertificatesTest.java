package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentCertificatesTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));

  @Test
  void aPairIsReportedOncePerInterval() {
    RecentCertificates recent = new RecentCertificates(Duration.ofMinutes(10), 100, clock);
    assertThat(recent.shouldReport("dev-1", A)).isTrue();
    assertThat(recent.shouldReport("dev-1", A)).isFalse();
    clock.advance(Duration.ofMinutes(9).plusSeconds(59));
    assertThat(recent.shouldReport("dev-1", A)).isFalse();
    clock.advance(Duration.ofSeconds(1));
    assertThat(recent.shouldReport("dev-1", A)).isTrue();
    // The interval starts again at the new report, not at the first one.
    clock.advance(Duration.ofMinutes(5));
    assertThat(recent.shouldReport("dev-1", A)).isFalse();
  }

  @Test
  void anotherCertificateOrAnotherDeviceIsReportedAtOnce() {
    RecentCertificates recent = new RecentCertificates(Duration.ofMinutes(10), 100, clock);
    assertThat(recent.shouldReport("dev-1", A)).isTrue();
    assertThat(recent.shouldReport("dev-1", B)).as("a renewed certificate").isTrue();
    assertThat(recent.shouldReport("dev-2", A)).as("a shared certificate").isTrue();
    assertThat(recent.shouldReport("dev-1", A)).isFalse();
    assertThat(recent.shouldReport("dev-1", B)).isFalse();
    assertThat(recent.shouldReport("dev-2", A)).isFalse();
  }

  @Test
  void expiredPairsAreForgottenAndTheMapStaysBounded() {
    RecentCertificates recent = new RecentCertificates(Duration.ofMinutes(10), 3, clock);
    for (int i = 0; i < 10; i++) {
      assertThat(recent.shouldReport("dev-" + i, A)).isTrue();
      assertThat(recent.size()).isLessThanOrEqualTo(3);
    }
    // The eldest were pushed out: dev-0 is reported again early, the latest three are not.
    assertThat(recent.shouldReport("dev-9", A)).isFalse();
    assertThat(recent.shouldReport("dev-0", A)).isTrue();

    clock.advance(Duration.ofMinutes(10));
    assertThat(recent.shouldReport("dev-new", A)).isTrue();
    assertThat(recent.size()).as("everything older than the interval is dropped").isEqualTo(1);
  }

  @Test
  void aZeroIntervalReportsEveryTime() {
    RecentCertificates recent = new RecentCertificates(Duration.ZERO, 10, clock);
    assertThat(recent.shouldReport("dev-1", A)).isTrue();
    assertThat(recent.shouldReport("dev-1", A)).isTrue();
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> new RecentCertificates(Duration.ofSeconds(-1), 10, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("interval");
    assertThatThrownBy(() -> new RecentCertificates(Duration.ofMinutes(1), 0, clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxEntries");
  }
}
