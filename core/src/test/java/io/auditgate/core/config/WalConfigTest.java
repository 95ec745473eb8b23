package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.auditgate.core.config.WalConfig.OverflowPolicy;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class WalConfigTest {
  private static final DataSize KIB_4 = DataSize.ofKibibytes(4);

  @Test
  void everyFieldHasADefault() {
    WalConfig config = WalConfig.defaults();

    assertThat(config.segmentSize()).isEqualTo(DataSize.ofMebibytes(64));
    assertThat(config.maxRecordSize()).isEqualTo(DataSize.ofMebibytes(1));
    assertThat(config.maxBatchSize()).isEqualTo(DataSize.ofMebibytes(4));
    assertThat(config.linger()).isEqualTo(Duration.ZERO);
    assertThat(config.maxTotalSize()).isEqualTo(DataSize.ofGibibytes(8));
    assertThat(config.maxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(config.overflowPolicy())
        .as("nothing is lost by default")
        .isEqualTo(OverflowPolicy.REFUSE);
    assertThat(new WalConfig(null, null, null, null, null, null, null)).isEqualTo(config);
  }

  @Test
  void givenValuesAreKept() {
    WalConfig config =
        new WalConfig(
            DataSize.ofKibibytes(8),
            DataSize.ofKibibytes(1),
            DataSize.ofKibibytes(16),
            Duration.ofMillis(5),
            DataSize.ofKibibytes(64),
            Duration.ofHours(1),
            OverflowPolicy.DROP_OLDEST);

    assertThat(config.segmentSize()).isEqualTo(DataSize.ofKibibytes(8));
    assertThat(config.maxRecordSize()).isEqualTo(DataSize.ofKibibytes(1));
    assertThat(config.maxBatchSize()).isEqualTo(DataSize.ofKibibytes(16));
    assertThat(config.linger()).isEqualTo(Duration.ofMillis(5));
    assertThat(config.maxTotalSize()).isEqualTo(DataSize.ofKibibytes(64));
    assertThat(config.maxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(config.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
  }

  @Test
  void theSmallestConsistentConfigurationIsAccepted() {
    WalConfig config =
        new WalConfig(
            KIB_4,
            DataSize.ofBytes(4096 - 64),
            KIB_4,
            Duration.ofSeconds(1),
            DataSize.ofKibibytes(8),
            Duration.ofSeconds(1),
            null);

    assertThat(config.segmentSize()).isEqualTo(KIB_4);
  }

  @Test
  void segmentSizeOutOfRangeNamesSegmentSize() {
    assertKey("segment_size", () -> withSegment(DataSize.ofBytes(4095)));
    assertKey("segment_size", () -> withSegment(DataSize.ofBytes((1L << 30) + 1)));
    assertThat(withSegment(DataSize.ofGibibytes(1)).segmentSize())
        .isEqualTo(DataSize.ofGibibytes(1));
  }

  @Test
  void maxRecordSizeOutOfRangeNamesMaxRecordSize() {
    assertKey("max_record_size", () -> config(null, DataSize.ofBytes(0), null, null, null, null));
    assertKey(
        "max_record_size",
        () -> config(null, DataSize.ofBytes((64L << 20) + 1), null, null, null, null));
  }

  @Test
  void aRecordThatCannotFitInASegmentNamesMaxRecordSize() {
    assertKey(
        "max_record_size",
        () -> config(KIB_4, DataSize.ofBytes(4096 - 63), null, null, null, null));
    assertKey("max_record_size", () -> config(KIB_4, null, null, null, null, null));
  }

  @Test
  void maxBatchSizeOutOfRangeNamesMaxBatchSize() {
    assertKey("max_batch_size", () -> config(null, null, DataSize.ofBytes(4095), null, null, null));
    assertKey(
        "max_batch_size", () -> config(null, null, DataSize.ofMebibytes(257), null, null, null));
  }

  @Test
  void lingerOutOfRangeNamesLinger() {
    assertKey("linger", () -> withLinger(Duration.ofNanos(-1)));
    assertKey("linger", () -> withLinger(Duration.ofSeconds(1).plusNanos(1)));
  }

  @Test
  void maxTotalSizeOutOfRangeNamesMaxTotalSize() {
    assertKey(
        "max_total_size",
        () -> config(KIB_4, DataSize.ofBytes(512), null, DataSize.ofBytes(8191), null, null));
    assertKey(
        "max_total_size",
        () -> config(DataSize.ofMebibytes(64), null, null, DataSize.ofMebibytes(127), null, null));
    assertThat(
            config(DataSize.ofMebibytes(64), null, null, DataSize.ofMebibytes(128), null, null)
                .maxTotalSize())
        .isEqualTo(DataSize.ofMebibytes(128));
  }

  @Test
  void maxAgeOutOfRangeNamesMaxAge() {
    assertKey("max_age", () -> config(null, null, null, null, Duration.ofMillis(999), null));
    assertKey("max_age", () -> config(null, null, null, null, Duration.ofDays(3651), null));
  }

  @Test
  void theExceptionReadsWellAndCanBePlacedUnderItsSection() {
    ConfigException e = catchConfig(() -> withSegment(DataSize.ofBytes(100)));

    assertThat(e.problem()).contains("4KiB").contains("1GiB").contains("100");
    assertThat(e).hasMessage("segment_size: " + e.problem());
    ConfigException placed = e.under("wal");
    assertThat(placed.key()).isEqualTo("wal.segment_size");
    assertThat(placed).hasMessage("wal.segment_size: " + e.problem());
    assertThat(e.under("").key()).isEqualTo("segment_size");
  }

  private static WalConfig withSegment(DataSize segment) {
    return config(segment, DataSize.ofBytes(512), null, null, null, null);
  }

  private static WalConfig withLinger(Duration linger) {
    return new WalConfig(null, null, null, linger, null, null, null);
  }

  private static WalConfig config(
      DataSize segment,
      DataSize maxRecord,
      DataSize maxBatch,
      DataSize maxTotal,
      Duration maxAge,
      OverflowPolicy policy) {
    return new WalConfig(segment, maxRecord, maxBatch, null, maxTotal, maxAge, policy);
  }

  private static void assertKey(String key, ThrowingCallable construction) {
    assertThat(catchConfig(construction).key()).isEqualTo(key);
  }

  private static ConfigException catchConfig(ThrowingCallable construction) {
    Throwable thrown = catchThrowable(construction);
    assertThat(thrown).isInstanceOf(ConfigException.class);
    return (ConfigException) thrown;
  }
}
