package io.auditgate.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KafkaRecordHeadersTest {
  @Test
  void theWalOffsetIsEightBytesBigEndian() {
    byte[] bytes = KafkaRecordHeaders.walOffset(0x0102030405060708L);
    //                                              b0 b1 b2 b3 b4 b5 b6 b7
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("0102030405060708");
    assertThat(KafkaRecordHeaders.walOffset(bytes)).isEqualTo(0x0102030405060708L);
    assertThat(HexFormat.of().formatHex(KafkaRecordHeaders.walOffset(4711)))
        .isEqualTo("0000000000001267");
    assertThat(KafkaRecordHeaders.walOffset(KafkaRecordHeaders.walOffset(Long.MAX_VALUE)))
        .isEqualTo(Long.MAX_VALUE);
    assertThatThrownBy(() -> KafkaRecordHeaders.walOffset(new byte[7]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("auditgate.wal_offset");
  }

  @Test
  void traceparentCarriesTheEnvelopesTraceIdAndASpanIdDerivedFromTheOffset() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String header = KafkaRecordHeaders.traceparent(traceId, 42).orElseThrow();
    // "00-" version, trace id, "-", 16 hex span id, "-01" sampled
    assertThat(header).matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01").hasSize(55);
    assertThat(header).isEqualTo(KafkaRecordHeaders.traceparent(traceId, 42).orElseThrow());
    assertThat(KafkaRecordHeaders.spanId(42)).isNotEqualTo(KafkaRecordHeaders.spanId(43));
    assertThat(KafkaRecordHeaders.spanId(0)).isNotEqualTo("0000000000000000");
  }

  @Test
  void noTraceparentWithoutAValidTraceId() {
    assertThat(KafkaRecordHeaders.traceparent(null, 1)).isEmpty();
    assertThat(KafkaRecordHeaders.traceparent("00000000000000000000000000000000", 1)).isEmpty();
    assertThat(KafkaRecordHeaders.traceparent("4BF92F3577B34DA6A3CE929D0E0E4736", 1)).isEmpty();
    assertThat(KafkaRecordHeaders.traceparent("4bf92f35", 1)).isEmpty();
  }
}
