package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.ingest.IngestResult;
import io.auditgate.core.ingest.IngestResult.Reason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class HttpMappingTest {
  @Test
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne() {
    assertThat(HttpMapping.retryAfterSeconds(Duration.ZERO)).isEqualTo(1);
    assertThat(HttpMapping.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
    assertThat(HttpMapping.retryAfterSeconds(Duration.ofMillis(1000))).isEqualTo(1);
    assertThat(HttpMapping.retryAfterSeconds(Duration.ofMillis(1001))).isEqualTo(2);
    assertThat(HttpMapping.retryAfterSeconds(Duration.ofMinutes(2))).isEqualTo(120);
    assertThat(HttpMapping.retryAfterSeconds(Duration.ofSeconds(-5))).isEqualTo(1);
  }

  @Test
  void everyRejectionReasonMapsToAClientErrorWithItsCode() {
    for (Reason reason : Reason.values()) {
      HttpMapping.Answer answer =
          HttpMapping.forResult(new IngestResult.Rejected(reason, "why", 7));

      int expected =
          switch (reason) {
            case PAYLOAD_TOO_LARGE -> 413;
            case WRONG_DEVICE -> 403;
            default -> 400;
          };
      assertThat(answer.status().code()).as(reason.name()).isEqualTo(expected);
      assertThat(answer.body().get("code").asText()).isEqualTo(reason.code());
      assertThat(answer.body().get("message").asText()).isEqualTo("why");
    }
  }

  @Test
  void busyIs503WithRetryAfter() {
    HttpMapping.Answer answer =
        HttpMapping.forResult(new IngestResult.Busy("log full", Duration.ofMillis(2100)));

    assertThat(answer.status().code()).isEqualTo(503);
    assertThat(answer.headers()).containsEntry("retry-after", "3");
    assertThat(answer.body().get("code").asText()).isEqualTo("busy");
  }
}
