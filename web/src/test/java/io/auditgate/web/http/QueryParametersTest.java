package io.auditgate.web.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {
  private static QueryParameters of(Map<String, List<String>> values) {
    return new QueryParameters(values);
  }

  @Test
  void durationsTakeShortFormsAndIso8601() {
    assertThat(QueryParameters.parseDuration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(QueryParameters.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(QueryParameters.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(QueryParameters.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
    assertThat(QueryParameters.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(QueryParameters.parseDuration("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(QueryParameters.parseDuration("5 minutes")).isNull();
    assertThat(QueryParameters.parseDuration("-5m")).isNull();
  }

  @Test
  void everyFailureIsA400NamingTheParameter() {
    QueryParameters p =
        of(
            Map.of(
                "limit", List.of("ten"),
                "from", List.of("yesterday"),
                "window", List.of("40d"),
                "state", List.of("a", "b")));
    assertProblem(() -> p.integer("limit", 1, 1000), "limit", "must be an integer");
    assertProblem(() -> p.instant("from"), "from", "RFC 3339");
    assertProblem(
        () -> p.duration("window", Duration.ofSeconds(1), Duration.ofDays(31)),
        "window",
        "between");
    assertProblem(() -> p.string("state"), "state", "given 2 times");
    assertThat(of(Map.of("from", List.of("2026-11-28T17:00:00Z"))).instant("from"))
        .contains(Instant.parse("2026-11-28T17:00:00Z"));
  }

  @Test
  void listsSplitOnCommasAndAreBounded() {
    assertThat(of(Map.of("metric", List.of("temperature, humidity,,"))).list("metric", 10))
        .containsExactly("temperature", "humidity");
    assertThat(of(Map.of()).list("metric", 10)).isEmpty();
    assertProblem(
        () -> of(Map.of("device", List.of("a,b,c"))).list("device", 2), "device", "at most 2");
  }

  private static void assertProblem(Runnable call, String parameter, String text) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            ApiProblem.class,
            p -> {
              assertThat(p.status()).isEqualTo(400);
              assertThat(p.code()).isEqualTo("bad_request");
              assertThat(p.details()).containsEntry("parameter", parameter);
            })
        .hasMessageStartingWith(parameter + ": ")
        .hasMessageContaining(text);
  }
}
