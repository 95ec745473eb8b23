package io.auditgate.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTest {
  private static final Handler NOTHING = r -> Response.ok(Map.of());

  @Test
  void matchesLiteralAndParameterSegmentsExactly() {
    Route device = Route.get("/api/v1/devices/{id}", Set.of(), NOTHING);
    assertThat(device.match(Route.split("/api/v1/devices/b-1"))).containsEntry("id", "b-1");
    assertThat(device.match(Route.split("/api/v1/devices"))).isNull();
    assertThat(device.match(Route.split("/api/v1/devices/"))).isNull();
    assertThat(device.match(Route.split("/api/v1/devices/b-1/telemetry"))).isNull();
  }

  @Test
  void aTrailingStarTakesTheRestOfThePath() {
    Route files = new Route("GET", "/dashboard/{path*}", Set.of(), false, NOTHING);
    assertThat(files.match(Route.split("/dashboard/"))).containsEntry("path", "");
    assertThat(files.match(Route.split("/dashboard/css/a.css"))).containsEntry("path", "css/a.css");
    assertThat(files.match(Route.split("/other/a.css"))).isNull();
  }
}
