package io.auditgate.controlplane.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The inventory's values refuse what cannot be meant, with the field in the message. */
class InventoryValuesTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void thePolicyNeedsAscendingWindowsAndADayOfAge() {
    assertThat(InventoryPolicy.defaults().soonDays()).isEqualTo(90);
    assertThatThrownBy(() -> new InventoryPolicy(List.of(60, 30), Duration.ofDays(10)))
        .hasMessageContaining("expiryWindowDays must be ascending");
    assertThatThrownBy(() -> new InventoryPolicy(List.of(), Duration.ofDays(10)))
        .hasMessageContaining("1..8 windows");
    assertThatThrownBy(() -> new InventoryPolicy(List.of(0), Duration.ofDays(10)))
        .hasMessageContaining("each 1..3650");
    assertThatThrownBy(() -> new InventoryPolicy(List.of(30), Duration.ofHours(2)))
        .hasMessageContaining("maxAge");
  }

  @Test
  void aSightingNeedsALocationAndAValidDevice() {
    assertThatThrownBy(() -> Sighting.of(SourceKind.FILE, "", T0))
        .hasMessageContaining("location must be 1..1024");
    assertThatThrownBy(
            () ->
                new Sighting(
                    SourceKind.LISTENER_MQTT, "mqtt5@gw", Optional.of("bad id!"), T0, Map.of()))
        .hasMessageContaining("deviceId must match");
    assertThat(SourceKind.ofLabel("listener_mqtt")).contains(SourceKind.LISTENER_MQTT);
    assertThat(SourceKind.LISTENER_HTTPS.isListener()).isTrue();
    assertThat(SourceKind.ENDPOINT.isListener()).isFalse();
  }

  @Test
  void queriesAreBoundedAndRenewalMovesAreFixed() {
    assertThatThrownBy(() -> CertificateQuery.all().page(0, 1001)).hasMessageContaining("limit");
    assertThatThrownBy(() -> CertificateQuery.all().withExpiringWithinDays(0))
        .hasMessageContaining("expiringWithinDays");
    assertThat(RenewalState.COMPLETED.next()).isEmpty();
    assertThat(RenewalState.NOT_STARTED.next())
        .containsExactlyInAnyOrder(
            RenewalState.PLANNED, RenewalState.IN_PROGRESS, RenewalState.BLOCKED);
    assertThat(CertificateStatus.ofLabel("expiring_soon"))
        .contains(CertificateStatus.EXPIRING_SOON);
    assertThatThrownBy(() -> new Revocation("xyz", T0, "keyCompromise"))
        .hasMessageContaining("sha256");
    assertThatThrownBy(() -> new Page<>(List.of(1, 2), 0, 1, 2)).hasMessageContaining("at most");
  }
}
