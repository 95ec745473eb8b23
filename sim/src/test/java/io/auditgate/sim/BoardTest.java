package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BoardTest {
  private static final Instant T0 = Instant.parse("2025-06-01T12:00:00.250Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void readingsStayInsidePhysicalRangesOverManySamplesAndSeeds() {
    for (long seed = 0; seed < 40; seed++) {
      Board board = new Board("b-l475e-0001", seed, "1.0.0");
      double previousTemperature = Double.NaN;
      double sumZ = 0;
      int samples = 5_000;
      for (int i = 0; i < samples; i++) {
        Reading reading = board.next(T0.plusMillis(500L * i));
        assertThat(reading.metrics().keySet()).containsExactlyElementsOf(Board.RANGES.keySet());
        for (Map.Entry<String, Double> metric : reading.metrics().entrySet()) {
          assertThat(Board.RANGES.get(metric.getKey()).contains(metric.getValue()))
              .as("seed %d sample %d: %s", seed, i, metric)
              .isTrue();
        }
        double temperature = reading.metrics().get("temperature_c");
        if (!Double.isNaN(previousTemperature)) {
          assertThat(Math.abs(temperature - previousTemperature))
              .as("temperature drifts slowly")
              .isLessThan(0.6);
        }
        previousTemperature = temperature;
        sumZ += reading.metrics().get("accel_z_mg");
        double mx = reading.metrics().get("mag_x_mgauss");
        double my = reading.metrics().get("mag_y_mgauss");
        double mz = reading.metrics().get("mag_z_mgauss");
        assertThat(Math.sqrt(mx * mx + my * my + mz * mz))
            .as("the Earth's field, give or take a hard-iron offset")
            .isBetween(200.0, 800.0);
      }
      assertThat(sumZ / samples).as("a board lying still feels about 1 g").isBetween(990.0, 1010.0);
    }
  }

  @Test
  void theSameSeedGivesTheSameReadingsAndAnotherSeedOthers() {
    List<Reading> first = readings(new Board("b-l475e-0001", 42, "1.0.0"), 100);
    List<Reading> again = readings(new Board("b-l475e-0001", 42, "1.0.0"), 100);
    List<Reading> other = readings(new Board("b-l475e-0001", 43, "1.0.0"), 100);
    assertThat(again).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  @Test
  void sensorsAreNoisyAndDistinctPerMetric() {
    List<Reading> readings = readings(new Board("b-l475e-0001", 7, "1.0.0"), 200);
    for (String key : Board.RANGES.keySet()) {
      long distinct = readings.stream().map(r -> r.metrics().get(key)).distinct().count();
      assertThat(distinct).as("%s varies", key).isGreaterThan(5);
    }
  }

  @Test
  void readingsAreSeedJsonWithRfc3339TimeSequenceAndTags() throws Exception {
    Board board = new Board("b-l475e-0007", 1, "2.3.4");
    board.next(T0);
    Reading second = board.next(T0.plusMillis(500));
    JsonNode json = JSON.readTree(TelemetryJson.encode(second));

    assertThat(json.get("seq").asLong()).isEqualTo(2);
    assertThat(
            OffsetDateTime.parse(json.get("ts").asText(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant())
        .isEqualTo(T0.plusMillis(500));
    assertThat(json.get("ts").asText()).isEqualTo("2025-06-01T12:00:00.750Z");
    assertThat(json.get("tags").get("firmware_version").asText()).isEqualTo("2.3.4");
    assertThat(json.get("tags").get("board").asText()).isEqualTo(Board.MODEL);
    List<String> keys = new ArrayList<>();
    json.get("metrics").fieldNames().forEachRemaining(keys::add);
    assertThat(keys).containsExactlyElementsOf(Board.RANGES.keySet());
    assertThat(keys).allMatch(k -> k.matches("^[a-z][a-z0-9_]{0,31}$"));
    assertThat(json.get("metrics").get("distance_mm").isIntegralNumber()).isTrue();
    assertThat(json.get("metrics").get("temperature_c").asDouble())
        .isEqualTo(second.metrics().get("temperature_c"));
    assertThat(board.lastSeq()).isEqualTo(2);
  }

  @Test
  void malformedReadingsAreNotJson() {
    Reading reading = new Board("b-l475e-0001", 3, "1.0.0").next(T0);
    byte[] malformed = TelemetryJson.malformed(reading);
    assertThat(malformed.length).isPositive().isLessThan(TelemetryJson.encode(reading).length);
    assertThat(isJson(malformed)).isFalse();
    assertThat(isJson(TelemetryJson.encode(reading))).isTrue();
  }

  static boolean isJson(byte[] bytes) {
    try {
      JSON.readTree(bytes);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static List<Reading> readings(Board board, int n) {
    List<Reading> readings = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      readings.add(board.next(T0.plusSeconds(i)));
    }
    return readings;
  }
}
