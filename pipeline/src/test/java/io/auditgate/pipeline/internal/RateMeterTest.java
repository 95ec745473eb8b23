package io.auditgate.pipeline.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateMeterTest {
  @Test
  void averagesOverTheWindowAndForgetsOlderSeconds() {
    RateMeter meter = new RateMeter(10, 0);
    for (int second = 0; second < 20; second++) {
      meter.record(100, second * 1000L + 500);
    }
    assertThat(meter.perSecond(19_999)).isCloseTo(100, within(1.0));
    // Nothing for 5 s: half the window is empty.
    assertThat(meter.perSecond(24_999)).isCloseTo(50, within(1.0));
    assertThat(meter.perSecond(60_000)).isZero();
  }

  @Test
  void aYoungMeterDividesByItsAgeNotByTheWholeWindow() {
    RateMeter meter = new RateMeter(10, 100_000);
    meter.record(300, 101_000);
    assertThat(meter.perSecond(102_000)).isCloseTo(150, within(1.0));
  }
}
