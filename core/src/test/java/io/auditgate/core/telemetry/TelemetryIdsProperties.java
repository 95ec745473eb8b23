package io.auditgate.core.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.StringLength;

/** The hand-written id and key checks say exactly what the documented patterns say. */
class TelemetryIdsProperties {

  @Property(tries = 2000)
  void deviceIdCheckAgreesWithThePattern(
      @ForAll @StringLength(max = 70) @CharRange(from = ' ', to = '~') @Chars({'é', 'Z', '-', '_'})
          String candidate) {
    assertThat(Telemetry.isDeviceId(candidate))
        .as("'%s'", candidate)
        .isEqualTo(Telemetry.DEVICE_ID.matcher(candidate).matches());
  }

  @Property(tries = 2000)
  void keyCheckAgreesWithThePattern(
      @ForAll @StringLength(max = 36) @CharRange(from = '/', to = '{') @Chars({'A', '-', '_'})
          String candidate) {
    assertThat(Telemetry.isKey(candidate))
        .as("'%s'", candidate)
        .isEqualTo(Telemetry.KEY.matcher(candidate).matches());
  }
}
