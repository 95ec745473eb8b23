package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.fleet.Fleet;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.FleetApi;
import io.auditgate.web.http.Route;
import io.auditgate.web.http.Router;
import io.auditgate.web.ops.OpsRoutes;
import io.auditgate.web.tokens.ApiTokens;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The hand-written OpenAPI document and the router describe the same API, route for route. */
class OpenApiDocumentTest {
  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() throws Exception {
    StoreOptions unused = StoreOptions.of("jdbc:postgresql://127.0.0.1:1/none", "u", "");
    List<Route> routes = new ArrayList<>();
    routes.addAll(
        new FleetApi(
                Fleet.readModel(unused, Clock.systemUTC()),
                Fleet.registry(unused),
                Clock.systemUTC())
            .routes());
    routes.addAll(new OpsRoutes(new NoMetrics(), List.of()).routes());
    routes.addAll(
        new io.auditgate.web.api.CertificatesApi(
                io.auditgate.controlplane.inventory.Inventories.jdbc(
                    unused,
                    Clock.systemUTC(),
                    io.auditgate.controlplane.inventory.RevocationView.NONE,
                    List.of(),
                    io.auditgate.controlplane.inventory.InventoryPolicy.defaults()))
            .routes());
    routes.addAll(
        new io.auditgate.web.api.CertificateEventsApi(
                io.auditgate.controlplane.inventory.Inventories.jdbc(
                    unused,
                    Clock.systemUTC(),
                    io.auditgate.controlplane.inventory.RevocationView.NONE,
                    List.of(),
                    io.auditgate.controlplane.inventory.InventoryPolicy.defaults()),
                new io.auditgate.controlplane.CertificateEventLog(unused))
            .routes());
    routes.addAll(
        new io.auditgate.web.api.ReplacementApi(
                new io.auditgate.controlplane.replacement.ReplacementWorkflow(
                    unused,
                    io.auditgate.controlplane.inventory.Inventories.jdbc(
                        unused,
                        Clock.systemUTC(),
                        io.auditgate.controlplane.inventory.RevocationView.NONE,
                        List.of(),
                        io.auditgate.controlplane.inventory.InventoryPolicy.defaults()),
                    io.auditgate.controlplane.inventory.RevocationView.NONE,
                    io.auditgate.controlplane.replacement.Reenrolment.NONE,
                    io.auditgate.controlplane.replacement.Revoker.NONE,
                    io.auditgate.controlplane.replacement.RenewalPolicy.DEFAULTS,
                    Clock.systemUTC()))
            .routes());
    routes.addAll(
        new io.auditgate.web.api.CertificateOperationsApi(
                java.util.Optional.empty(),
                new io.auditgate.controlplane.alerts.CertificateAlerts(
                    unused, now -> List.of(), Clock.systemUTC(), false),
                new io.auditgate.controlplane.inventory.discovery.CertificateUpload(
                    io.auditgate.controlplane.inventory.Inventories.jdbc(
                        unused,
                        Clock.systemUTC(),
                        io.auditgate.controlplane.inventory.RevocationView.NONE,
                        List.of(),
                        io.auditgate.controlplane.inventory.InventoryPolicy.defaults()),
                    Clock.systemUTC()))
            .routes());
    Router router = WebRoutes.router(routes, new ApiTokens(unused, Clock.systemUTC()));

    Set<String> served = new TreeSet<>();
    for (Route route : router.routes()) {
      if (route.documented()) {
        served.add(route.method() + " " + route.template());
      }
    }
    JsonNode doc =
        new ObjectMapper()
            .readTree(getClass().getClassLoader().getResourceAsStream(WebRoutes.OPENAPI_RESOURCE));
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    Set<String> documented = new TreeSet<>();
    doc.get("paths")
        .fields()
        .forEachRemaining(
            path ->
                path.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        method ->
                            documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
    assertThat(documented).isEqualTo(served);
    assertThat(served)
        .contains(
            "GET /api/v1/devices/{id}",
            "GET /metrics",
            "GET /readyz",
            "GET /api/v1/certificates/{sha256}",
            "GET /api/v1/certificates/{sha256}/events");
  }

  private static final class NoMetrics implements io.auditgate.core.ops.MetricsExposition {
    @Override
    public String contentType() {
      return "text/plain";
    }

    @Override
    public void writeTo(OutputStream out) {}
  }
}
