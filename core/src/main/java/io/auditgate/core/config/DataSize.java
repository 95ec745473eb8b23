package io.auditgate.core.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes, written in configuration as a plain number or with a binary unit: {@code 512},
 * {@code 64KiB}, {@code 64MiB}, {@code 8GiB} ({@code KB}, {@code MB}, {@code GB} and {@code k},
 * {@code m}, {@code g} are read as the same binary units).
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
  private static final Pattern FORM =
      Pattern.compile("^\\s*(\\d+)\\s*([kmgt]?)(?:i?b)?\\s*$", Pattern.CASE_INSENSITIVE);

  public DataSize {
    if (bytes < 0) {
      throw new IllegalArgumentException("a size must be >= 0 bytes, got " + bytes);
    }
  }

  public static DataSize ofBytes(long bytes) {
    return new DataSize(bytes);
  }

  public static DataSize ofKibibytes(long kib) {
    return new DataSize(Math.multiplyExact(kib, 1024L));
  }

  public static DataSize ofMebibytes(long mib) {
    return new DataSize(Math.multiplyExact(mib, 1024L * 1024));
  }

  public static DataSize ofGibibytes(long gib) {
    return new DataSize(Math.multiplyExact(gib, 1024L * 1024 * 1024));
  }

  /**
   * Parses {@code 64MiB}-style text.
   *
   * @throws IllegalArgumentException with a message that shows the accepted forms
   */
  public static DataSize parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a size; write bytes or a number with KiB, MiB, GiB or TiB");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    int shift =
        switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    if (shift > 0 && n > (Long.MAX_VALUE >> shift)) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return new DataSize(n << shift);
  }

  @Override
  public int compareTo(DataSize other) {
    return Long.compare(bytes, other.bytes);
  }

  /** The largest exact unit: {@code 64MiB}, {@code 1536KiB}, {@code 100}. */
  @Override
  public String toString() {
    String[] units = {"TiB", "GiB", "MiB", "KiB"};
    int[] shifts = {40, 30, 20, 10};
    for (int i = 0; i < units.length; i++) {
      long unit = 1L << shifts[i];
      if (bytes != 0 && bytes % unit == 0) {
        return (bytes / unit) + units[i];
      }
    }
    return Long.toString(bytes);
  }
}
