package io.auditgate.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.ingest.http.Route.Endpoint;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RouteTest {
  @Test
  void matchesEachEndpointWithItsMethod() {
    assertThat(Route.of(HttpMethod.POST, "/v1/ingest/dev_1-A"))
        .isEqualTo(new Route.Found(Endpoint.INGEST, Optional.of("dev_1-A")));
    assertThat(Route.of(HttpMethod.POST, "/v1/ingest/dev/batch"))
        .isEqualTo(new Route.Found(Endpoint.BATCH, Optional.of("dev")));
    assertThat(Route.of(HttpMethod.POST, "/v1/ingest/batch"))
        .as("a device may be called batch")
        .isEqualTo(new Route.Found(Endpoint.INGEST, Optional.of("batch")));
    assertThat(Route.of(HttpMethod.GET, "/healthz"))
        .isEqualTo(new Route.Found(Endpoint.HEALTH, Optional.empty()));
    assertThat(Route.of(HttpMethod.GET, "/readyz?verbose"))
        .isEqualTo(new Route.Found(Endpoint.READY, Optional.empty()));
    assertThat(Route.of(HttpMethod.GET, "https://gw:8443/docs/openapi.json#x"))
        .isEqualTo(new Route.Found(Endpoint.OPENAPI, Optional.empty()));
  }

  @Test
  void aKnownPathWithAnotherMethodIsWrongMethod() {
    assertThat(Route.of(HttpMethod.GET, "/v1/ingest/dev"))
        .isEqualTo(new Route.WrongMethod(Endpoint.INGEST));
    assertThat(Route.of(HttpMethod.HEAD, "/healthz"))
        .isEqualTo(new Route.WrongMethod(Endpoint.HEALTH));
  }

  @Test
  void pathsThatCannotNameADeviceAreNotFound() {
    for (String path :
        List.of(
            "/",
            "/v1/ingest",
            "/v1/ingest/",
            "/v1/ingest//batch",
            "/v1/ingest/a%2Fb",
            "/v1/ingest/a/b",
            "/v1/ingest/" + "x".repeat(65),
            "/v1/ingest/dev/batch/",
            "/healthz/",
            "*")) {
      assertThat(Route.of(HttpMethod.POST, path)).as(path).isInstanceOf(Route.NotFound.class);
    }
  }
}
