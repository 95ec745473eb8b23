package io.auditgate.web.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.inventory.CertificateDetail;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.CertificateSummary;
import io.auditgate.controlplane.inventory.RenewalChange;
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.inventory.RenewalView;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.SightingView;
import io.auditgate.controlplane.inventory.SourceKind;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The merge of a certificate's event log with what the inventory records elsewhere. */
class CertificateTimelineTest {
  private static final String SHA = "ab".repeat(32);
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aRevocationTheLogRecordsIsNotRepeatedFromTheRevocationView() {
    Revocation revocation = new Revocation(SHA, T0.plus(Duration.ofDays(3)), "keyCompromise");
    CertificateEvent logged =
        new CertificateEvent(
            7, SHA, revocation.revokedAt(), "revoked", "revoked: keyCompromise", Map.of());

    List<CertificateTimeline.Entry> withLog =
        CertificateTimeline.merge(detail(Optional.of(revocation), List.of()), List.of(logged));
    assertThat(withLog).filteredOn(e -> e.kind().equals("revoked")).hasSize(1);
    assertThat(withLog)
        .filteredOn(e -> e.kind().equals("revoked"))
        .extracting(CertificateTimeline.Entry::origin)
        .containsExactly("event_log");

    List<CertificateTimeline.Entry> viewOnly =
        CertificateTimeline.merge(detail(Optional.of(revocation), List.of()), List.of());
    assertThat(viewOnly)
        .filteredOn(e -> e.kind().equals("revoked"))
        .extracting(CertificateTimeline.Entry::origin)
        .containsExactly("revocation");
  }

  @Test
  void entriesAreOldestFirstAndASightingSeenOnceHasNoLastSeen() {
    RenewalChange planned =
        new RenewalChange(
            RenewalState.NOT_STARTED,
            RenewalState.PLANNED,
            Optional.empty(),
            "token:ops",
            T0.plus(Duration.ofDays(2)));
    CertificateEvent alert =
        new CertificateEvent(
            1, SHA, T0.plus(Duration.ofDays(1)), "alert_raised", "expires soon", Map.of());

    List<CertificateTimeline.Entry> t =
        CertificateTimeline.merge(detail(Optional.empty(), List.of(planned)), List.of(alert));

    assertThat(t)
        .extracting(CertificateTimeline.Entry::kind)
        .containsExactly(
            "valid_from", "first_seen", "alert_raised", "renewal_planned", "valid_until");
    assertThat(t.get(3).summary()).isEqualTo("renewal not started → planned by token:ops");
    assertThat(t.get(2).id()).contains(1L);
  }

  private static CertificateDetail detail(
      Optional<Revocation> revocation, List<RenewalChange> history) {
    CertificateSummary summary =
        new CertificateSummary(
            SHA,
            "CN=dev-1",
            "CN=issuing",
            "01",
            "ec",
            256,
            "SHA256withECDSA",
            T0,
            T0.plus(Duration.ofDays(30)),
            false,
            Optional.of("dev-1"),
            List.of(),
            true,
            Optional.empty(),
            Optional.empty(),
            revocation.isPresent() ? CertificateStatus.REVOKED : CertificateStatus.ACTIVE,
            T0.plus(Duration.ofHours(1)),
            T0.plus(Duration.ofHours(1)));
    SightingView once =
        new SightingView(
            SourceKind.LISTENER_MQTT,
            "mqtt5@gw-1",
            Optional.of("dev-1"),
            T0.plus(Duration.ofHours(1)),
            T0.plus(Duration.ofHours(1)),
            1,
            Map.of());
    return new CertificateDetail(
        summary,
        List.of(),
        List.of(),
        List.of("urn:auditgate:device:dev-1"),
        List.of(),
        Optional.of("P-256"),
        List.of(),
        List.of(),
        Optional.empty(),
        false,
        new byte[] {1},
        List.of(SHA),
        List.of(once),
        List.of(),
        revocation,
        RenewalView.NOT_STARTED,
        history);
  }
}
