package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceParentTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT = "00f067aa0ba902b7";

  @Test
  void readsTheTraceIdOfAVersion00Header() {
    assertThat(TraceParent.traceId(List.of("00-" + TRACE + "-" + PARENT + "-01"))).hasValue(TRACE);
  }

  @Test
  void aLaterVersionMayCarryMoreFields() {
    assertThat(TraceParent.traceId(List.of("01-" + TRACE + "-" + PARENT + "-01-extra")))
        .hasValue(TRACE);
  }

  @Test
  void invalidHeadersAreIgnored() {
    for (String invalid :
        List.of(
            "",
            "garbage",
            "00-" + TRACE + "-" + PARENT + "-01-extra",
            "ff-" + TRACE + "-" + PARENT + "-01",
            "00-" + "0".repeat(32) + "-" + PARENT + "-01",
            "00-" + TRACE + "-" + "0".repeat(16) + "-01",
            "00-" + TRACE.toUpperCase() + "-" + PARENT + "-01",
            "00-" + TRACE.substring(1) + "-" + PARENT + "-01")) {
      assertThat(TraceParent.traceId(List.of(invalid))).as(invalid).isEmpty();
    }
  }

  @Test
  void noneOrSeveralHeadersAreIgnored() {
    String valid = "00-" + TRACE + "-" + PARENT + "-01";
    assertThat(TraceParent.traceId(List.of())).isEmpty();
    assertThat(TraceParent.traceId(List.of(valid, valid))).isEmpty();
  }
}
