package io.auditgate.sim;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A simulated STM32 B-L475E-IOT01A discovery board: its sensors drift slowly around values drawn
 * for this board, with noise on every sample, and always stay inside {@link #RANGES}.
 *
 * <ul>
 *   <li>HTS221: temperature (°C, an indoor 18–30) and relative humidity (%, 30–70);
 *   <li>LPS22HB: barometric pressure (hPa, 990–1030);
 *   <li>LSM6DSL: accelerometer (mg; the board lies still, slightly tilted, so about 1 g on z) and
 *       gyroscope (mdps; a zero-rate offset plus noise);
 *   <li>LIS3MDL: magnetometer (mgauss; the Earth's field at a random heading plus a hard-iron
 *       offset);
 *   <li>VL53L0X: time-of-flight distance (mm, 30–2000) to a target that moves now and then.
 * </ul>
 *
 * <p>Deterministic: the same device id, seed and sequence of calls give the same readings, so a
 * simulation can be replayed exactly. Not thread-safe: one board belongs to one device.
 */
public final class Board {
  /** The board's model name, sent as the {@code board} tag. */
  public static final String MODEL = "B-L475E-IOT01A";

  /** Where each metric stays: the model's envelope, inside each sensor's full-scale range. */
  public static final Map<String, Range> RANGES = ranges();

  /** The closed interval a metric stays in. */
  public record Range(double min, double max) {
    public boolean contains(double value) {
      return value >= min && value <= max;
    }
  }

  private final String deviceId;
  private final String firmwareVersion;
  private final SplittableRandom random;

  private final double temperatureBase;
  private final double humidityBase;
  private final double pressureBase;
  private final double tiltX;
  private final double tiltY;
  private final double restZ;
  private final double[] gyroOffset;
  private final double[] magneticField;

  private double temperatureDrift;
  private double humidityDrift;
  private double pressureDrift;
  private double distanceTarget;
  private long seq;

  /**
   * @param deviceId the id the board reports
   * @param seed all randomness of this board comes from it
   * @param firmwareVersion sent as the {@code firmware_version} tag
   */
  public Board(String deviceId, long seed, String firmwareVersion) {
    this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
    this.firmwareVersion = Objects.requireNonNull(firmwareVersion, "firmwareVersion");
    this.random = new SplittableRandom(seed);
    temperatureBase = uniform(20, 26);
    humidityBase = uniform(40, 60);
    pressureBase = uniform(1000, 1020);
    tiltX = uniform(-60, 60);
    tiltY = uniform(-60, 60);
    restZ = Math.sqrt(1000 * 1000 - tiltX * tiltX - tiltY * tiltY);
    gyroOffset = new double[] {uniform(-500, 500), uniform(-500, 500), uniform(-500, 500)};
    double heading = uniform(0, 2 * Math.PI);
    double horizontal = uniform(180, 250);
    magneticField =
        new double[] {
          horizontal * Math.cos(heading) + uniform(-80, 80),
          horizontal * Math.sin(heading) + uniform(-80, 80),
          -uniform(380, 460) + uniform(-80, 80)
        };
    distanceTarget = uniform(150, 1500);
  }

  /** The next sample, numbered one past the previous, stamped {@code timestamp}. */
  public Reading next(Instant timestamp) {
    seq++;
    // Mean-reverting random walks: slow drift that never runs away over a long simulation.
    temperatureDrift = walk(temperatureDrift, 0.02, 3);
    humidityDrift = walk(humidityDrift, 0.1, 8);
    pressureDrift = walk(pressureDrift, 0.03, 8);
    if (random.nextDouble() < 0.02) {
      distanceTarget = uniform(50, 1900);
    }

    Map<String, Double> metrics = new LinkedHashMap<>();
    put(metrics, "temperature_c", temperatureBase + temperatureDrift + gaussian(0.05), 2);
    put(metrics, "humidity_pct", humidityBase + humidityDrift + gaussian(0.3), 1);
    put(metrics, "pressure_hpa", pressureBase + pressureDrift + gaussian(0.05), 2);
    put(metrics, "accel_x_mg", tiltX + gaussian(8), 0);
    put(metrics, "accel_y_mg", tiltY + gaussian(8), 0);
    put(metrics, "accel_z_mg", restZ + gaussian(8), 0);
    put(metrics, "gyro_x_mdps", gyroOffset[0] + gaussian(70), 0);
    put(metrics, "gyro_y_mdps", gyroOffset[1] + gaussian(70), 0);
    put(metrics, "gyro_z_mdps", gyroOffset[2] + gaussian(70), 0);
    put(metrics, "mag_x_mgauss", magneticField[0] + gaussian(3), 0);
    put(metrics, "mag_y_mgauss", magneticField[1] + gaussian(3), 0);
    put(metrics, "mag_z_mgauss", magneticField[2] + gaussian(3), 0);
    put(metrics, "distance_mm", distanceTarget + gaussian(2.5), 0);
    return new Reading(
        deviceId,
        seq,
        timestamp,
        metrics,
        Map.of("board", MODEL, "firmware_version", firmwareVersion));
  }

  /** The sequence number of the last reading, 0 before the first. */
  public long lastSeq() {
    return seq;
  }

  private static void put(Map<String, Double> metrics, String key, double value, int decimals) {
    Range range = RANGES.get(key);
    double clamped = Math.max(range.min(), Math.min(range.max(), value));
    double scale = Math.pow(10, decimals);
    metrics.put(key, Math.round(clamped * scale) / scale);
  }

  private double walk(double value, double step, double bound) {
    double next = value * 0.995 + gaussian(step);
    return Math.max(-bound, Math.min(bound, next));
  }

  private double uniform(double min, double max) {
    return min + random.nextDouble() * (max - min);
  }

  private double gaussian(double sigma) {
    return random.nextGaussian() * sigma;
  }

  private static Map<String, Range> ranges() {
    Map<String, Range> ranges = new LinkedHashMap<>();
    ranges.put("temperature_c", new Range(18, 30));
    ranges.put("humidity_pct", new Range(30, 70));
    ranges.put("pressure_hpa", new Range(990, 1030));
    // LSM6DSL at ±2 g and ±245 dps, LIS3MDL at ±4 gauss: the full-scale ranges bound the values.
    for (String axis : List.of("x", "y", "z")) {
      ranges.put("accel_" + axis + "_mg", new Range(-2000, 2000));
    }
    for (String axis : List.of("x", "y", "z")) {
      ranges.put("gyro_" + axis + "_mdps", new Range(-245_000, 245_000));
    }
    for (String axis : List.of("x", "y", "z")) {
      ranges.put("mag_" + axis + "_mgauss", new Range(-4000, 4000));
    }
    ranges.put("distance_mm", new Range(30, 2000));
    return java.util.Collections.unmodifiableMap(ranges);
  }
}
