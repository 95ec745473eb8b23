package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataSizeTest {

  @ParameterizedTest(name = "{0} = {1} bytes")
  @CsvSource(
      delimiter = '|',
      value = {
        "0          | 0",
        "512        | 512",
        "512B       | 512",
        "64KiB      | 65536",
        "64kib      | 65536",
        "64KB       | 65536",
        "64k        | 65536",
        "64K        | 65536",
        "64MiB      | 67108864",
        "64 MiB     | 67108864",
        "'  64MB  ' | 67108864",
        "64m        | 67108864",
        "8GiB       | 8589934592",
        "8g         | 8589934592",
        "2TiB       | 2199023255552",
        "1t         | 1099511627776",
      })
  void parsesPlainNumbersAndBinaryUnits(String text, long bytes) {
    assertThat(DataSize.parse(text)).isEqualTo(DataSize.ofBytes(bytes));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", "MiB", "-1", "1.5MiB", "64 PiB", "64MiBs", "64 M iB", "0x10", "1e3"})
  void rejectsTextThatIsNotASizeAndShowsTheAcceptedForms(String text) {
    assertThatThrownBy(() -> DataSize.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("KiB, MiB, GiB or TiB");
  }

  @Test
  void rejectsSizesThatOverflowALong() {
    assertThat(DataSize.parse("8388607TiB").bytes()).isEqualTo(8388607L << 40);
    assertThatThrownBy(() -> DataSize.parse("8388608TiB"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> DataSize.parse("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DataSize.ofGibibytes(Long.MAX_VALUE / 1024))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void factoriesUseBinaryUnits() {
    assertThat(DataSize.ofKibibytes(3).bytes()).isEqualTo(3 * 1024);
    assertThat(DataSize.ofMebibytes(3).bytes()).isEqualTo(3 * 1024 * 1024);
    assertThat(DataSize.ofGibibytes(3).bytes()).isEqualTo(3L * 1024 * 1024 * 1024);
  }

  @Test
  void aNegativeSizeIsRejected() {
    assertThatThrownBy(() -> DataSize.ofBytes(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} bytes prints as {1}")
  @CsvSource({
    "0, 0",
    "100, 100",
    "1024, 1KiB",
    "1536, 1536",
    "1572864, 1536KiB",
    "67108864, 64MiB",
    "8589934592, 8GiB",
    "1099511627776, 1TiB",
    "1099511627777, 1099511627777",
  })
  void printsTheLargestExactUnit(long bytes, String text) {
    assertThat(DataSize.ofBytes(bytes)).hasToString(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 1023, 1024, 1536, 4096, 1 << 20, 3L << 30, 5L << 40, 12345678901L})
  void printedFormParsesBackToTheSameSize(long bytes) {
    DataSize size = DataSize.ofBytes(bytes);

    assertThat(DataSize.parse(size.toString())).isEqualTo(size);
  }

  @Test
  void comparesByBytes() {
    assertThat(DataSize.ofKibibytes(1)).isLessThan(DataSize.ofBytes(1025));
    assertThat(DataSize.ofKibibytes(1)).isEqualByComparingTo(DataSize.ofBytes(1024));
    assertThat(DataSize.ofMebibytes(1)).isGreaterThan(DataSize.ofKibibytes(1023));
  }
}
