package io.auditgate.fleet;

import java.util.Map;
import java.util.Optional;

/**
 * What an operator registers about a gateway; an upsert replaces these fields, never its state.
 *
 * @param id {@code ^[A-Za-z0-9_-]{1,64}$}
 * @param tags as {@link DeviceRegistration#tags()}
 */
public record GatewayRegistration(
    String id, Optional<String> name, Optional<String> location, Map<String, String> tags) {
  public GatewayRegistration {
    Values.id("id", id);
    Values.text("name", name);
    Values.text("location", location);
    tags = Values.tags("tags", tags);
  }
}
