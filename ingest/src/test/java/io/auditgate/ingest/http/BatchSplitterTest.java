package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSplitterTest {
  @Test
  void cutsOutEachItemsBytesExactly() {
    String a = "{\"seq\": 1, \"metrics\": {\"t\": 21.50}, \"payload\": \"]},\\\"\"}";
    String b = "[{\"n\":\"t\",\"v\":1e1}]";
    String batch = " [\n" + a + " ,\t" + b + ",42,\"x\\\"y\",null,true ]\n";

    BatchSplitter.Split split = split(batch, 10);

    assertThat(split).isInstanceOf(BatchSplitter.Items.class);
    assertThat(((BatchSplitter.Items) split).items())
        .extracting(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .containsExactly(a, b, "42", "\"x\\\"y\"", "null", "true");
  }

  @Test
  void keepsMultiByteCharactersIntact() {
    String a = "{\"tags\":{\"room\":\"küche ☃\"}}";
    BatchSplitter.Split split = split("[" + a + "," + a + "]", 10);

    assertThat(((BatchSplitter.Items) split).items())
        .extracting(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .containsExactly(a, a);
  }

  @Test
  void refusesWhatIsNotANonEmptyArray() {
    for (String invalid : List.of("", "{}", "[", "[{}", "[]", "[1,]", "[1] 2", "[1]]", "nul")) {
      assertThat(split(invalid, 10)).as(invalid).isInstanceOf(BatchSplitter.Invalid.class);
    }
  }

  @Test
  void stopsCountingPastTheLimit() {
    assertThat(split("[1,2,3]", 3)).isInstanceOf(BatchSplitter.Items.class);
    assertThat(split("[1,2,3,4]", 3)).isEqualTo(new BatchSplitter.TooManyItems(3));
  }

  private static BatchSplitter.Split split(String body, int max) {
    return BatchSplitter.split(body.getBytes(StandardCharsets.UTF_8), max);
  }
}
