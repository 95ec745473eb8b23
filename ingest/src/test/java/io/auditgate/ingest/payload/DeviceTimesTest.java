package io.auditgate.ingest.payload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-read UTC form is a shortcut of the general RFC 3339 reading, never a second meaning. */
class DeviceTimesTest {
  private final Random random = new Random(20261128);

  @Test
  void readsTheUsualFormByHand() {
    assertThat(DeviceTimes.parseRfc3339("2024-05-01T12:00:00.123Z"))
        .contains(Instant.parse("2024-05-01T12:00:00.123Z"));
    assertThat(DeviceTimes.parseRfc3339("2024-02-29T23:59:59Z"))
        .contains(Instant.parse("2024-02-29T23:59:59Z"));
    assertThat(DeviceTimes.parseRfc3339("2023-02-29T10:00:00Z")).isEmpty();
    assertThat(DeviceTimes.parseRfc3339("2024-12-31T23:59:60Z")).isEmpty();
    assertThat(DeviceTimes.parseRfc3339("2024-05-01T12:00:00.1234567891Z")).isEmpty();
    assertThat(DeviceTimes.parseRfc3339("2024-05-01t12:00:00z"))
        .contains(Instant.parse("2024-05-01T12:00:00Z"));
  }

  @Test
  void agreesWithTheGeneralReadingOnNearMisses() {
    for (int i = 0; i < 200_000; i++) {
      String text = candidate();
      Optional<Instant> general = DeviceTimes.parseGeneral(text);
      assertThat(DeviceTimes.parseRfc3339(text)).as(text).isEqualTo(general);
    }
  }

  /** Mostly well-formed, with fields and separators often just out of range. */
  private String candidate() {
    StringBuilder b = new StringBuilder();
    b.append(pad(random.nextInt(10_000), 4)).append(sep('-'));
    b.append(pad(random.nextInt(14), 2)).append(sep('-'));
    b.append(pad(random.nextInt(33), 2)).append(sep('T'));
    b.append(pad(random.nextInt(26), 2)).append(sep(':'));
    b.append(pad(random.nextInt(62), 2)).append(sep(':'));
    b.append(pad(random.nextInt(62), 2));
    int fraction = random.nextInt(12) - 1;
    if (fraction >= 0) {
      b.append('.');
      for (int i = 0; i < fraction; i++) {
        b.append((char) ('0' + random.nextInt(10)));
      }
    }
    String[] zones = {"Z", "Z", "Z", "z", "+02:00", "-00:00", "", "ZZ"};
    return b.append(zones[random.nextInt(zones.length)]).toString();
  }

  private char sep(char usual) {
    return random.nextInt(50) == 0 ? "-T:xt ".charAt(random.nextInt(6)) : usual;
  }

  private static String pad(int value, int width) {
    String s = Integer.toString(value);
    return "0".repeat(Math.max(0, width - s.length())) + s;
  }
}
