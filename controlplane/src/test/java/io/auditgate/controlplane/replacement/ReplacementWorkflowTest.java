package io.auditgate.controlplane.replacement;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.CertificateEvent;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.InventoryTestStore;
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replacement state machine over a real PostgreSQL and real certificates, with a clock moved by
 * hand, a recording re-enrolment channel and a revoker that keeps what it revoked.
 */
class ReplacementWorkflowTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final String DEVICE = "dev-7";

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private final MutableClock clock = new MutableClock(T0);
  private final FakeRevoker revoker = new FakeRevoker();
  private final List<String> requests = new ArrayList<>();
  private Reenrolment.Outcome answer = new Reenrolment.Outcome.Delivered();
  private DevCertificateAuthority ca;
  private CertificateInventory inventory;
  private ReplacementWorkflow workflow;

  @BeforeEach
  void setUp() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    inventory =
        Inventories.jdbc(
            db, clock, revoker, List.of(ca.rootCertificate()), InventoryPolicy.defaults());
    workflow = workflow(RenewalPolicy.DEFAULTS);
  }

  private ReplacementWorkflow workflow(RenewalPolicy policy) {
    return new ReplacementWorkflow(
        db,
        inventory,
        revoker,
        (device, reason) -> {
          requests.add(device + ":" + reason);
          return answer;
        },
        revoker,
        policy,
        clock);
  }

  @AfterEach
  void close() {
    inventory.close();
  }

  @Test
  void aReplacementWaitsForTheNewCertificateThenRevokesTheOldAndMovesTheBinding() {
    IssuedCertificate old = connected(ca.issueDevice(DEVICE, Validity.days(90)));
    InventoryTestStore.registerDevice(db, DEVICE);
    inventory.bind(
        old.sha256Fingerprint(), io.auditgate.controlplane.inventory.BindingKind.DEVICE, DEVICE);

    StartOutcome started = workflow.start(old.sha256Fingerprint(), "token:ops", "replace");
    assertThat(started)
        .isEqualTo(
            new StartOutcome.Started(
                old.sha256Fingerprint(), DEVICE, new Reenrolment.Outcome.Delivered()));
    assertThat(requests).containsExactly(DEVICE + ":replace");
    assertThat(state(old)).isEqualTo(RenewalState.IN_PROGRESS);

    clock.advance(Duration.ofMinutes(1));
    assertThat(workflow.advance()).isEqualTo(new AdvanceReport(List.of(), List.of(), 1));
    assertThat(revoker.revoked).isEmpty();
    assertThat(requests).as("a delivered request is not repeated").hasSize(1);

    // Issued is not enough: the device must connect with it.
    IssuedCertificate fresh = ca.issueDevice(DEVICE, Validity.days(90));
    inventory.record(fresh.chain(), Sighting.of(SourceKind.ISSUED, "dev-ca", clock.instant()));
    assertThat(workflow.advance().waiting()).isEqualTo(1);

    connected(fresh);
    AdvanceReport report = workflow.advance();
    assertThat(report.completed())
        .containsExactly(
            new AdvanceReport.Completed(
                old.sha256Fingerprint(), fresh.sha256Fingerprint(), DEVICE));
    assertThat(revoker.revoked).containsOnlyKeys(old.sha256Fingerprint());
    assertThat(boundCertificate()).isEqualTo(fresh.sha256Fingerprint());
    var detail = inventory.detail(old.sha256Fingerprint()).orElseThrow();
    assertThat(detail.renewal().state()).isEqualTo(RenewalState.COMPLETED);
    assertThat(detail.renewal().replacementSha256()).contains(fresh.sha256Fingerprint());
    assertThat(detail.summary().status()).isEqualTo(CertificateStatus.REVOKED);
    assertThat(detail.bindings()).isEmpty();
    assertThat(kinds(old))
        .containsExactly(
            "replacement_started",
            "replacement_confirmed",
            "replacement_revoked",
            "replacement_rebound",
            "replacement_completed");
    assertThat(kinds(fresh))
        .containsExactly(
            "replacement_confirmed",
            "replacement_revoked",
            "replacement_rebound",
            "replacement_completed");

    // Done is done: nothing more to advance, and the old certificate cannot be replaced again.
    assertThat(workflow.advance()).isEqualTo(new AdvanceReport(List.of(), List.of(), 0));
    assertThat(workflow.start(old.sha256Fingerprint(), "token:ops", "replace"))
        .isInstanceOf(StartOutcome.NotReplaceable.class);
  }

  @Test
  void aCrashAfterTheRevocationRepeatsOnlyWhatIsLeft() {
    IssuedCertificate old = connected(ca.issueDevice(DEVICE, Validity.days(90)));
    workflow.start(old.sha256Fingerprint(), "cli", "replace");
    clock.advance(Duration.ofMinutes(1));
    IssuedCertificate fresh = connected(ca.issueDevice(DEVICE, Validity.days(90)));
    // As if the process had died after step 3: the certificate is revoked, nothing else moved.
    revoker.revokeSuperseded(old.sha256Fingerprint(), "replacement");

    AdvanceReport report = workflow.advance();

    assertThat(report.completed()).hasSize(1);
    assertThat(revoker.calls).isEqualTo(2);
    assertThat(kinds(old)).doesNotContain("replacement_revoked").contains("replacement_completed");
    assertThat(state(old)).isEqualTo(RenewalState.COMPLETED);
    assertThat(state(fresh)).isEqualTo(RenewalState.NOT_STARTED);
  }

  @Test
  void aDeviceThatDoesNotConfirmWithinTheDeadlineBlocksTheReplacementAndARestartResumesIt() {
    IssuedCertificate old = connected(ca.issueDevice(DEVICE, Validity.days(90)));
    answer = new Reenrolment.Outcome.NotDelivered("not_connected");
    StartOutcome started = workflow.start(old.sha256Fingerprint(), "cli", "replace");
    assertThat(((StartOutcome.Started) started).request().label()).isEqualTo("not_connected");

    clock.advance(Duration.ofMinutes(59));
    assertThat(workflow.advance().waiting()).isEqualTo(1);
    assertThat(requests).as("an undelivered request is sent again at each check").hasSize(2);
    clock.advance(Duration.ofMinutes(1));
    AdvanceReport report = workflow.advance();
    assertThat(report.blocked()).hasSize(1);
    assertThat(report.blocked().get(0).reason()).startsWith("not_confirmed");
    var renewal = inventory.detail(old.sha256Fingerprint()).orElseThrow().renewal();
    assertThat(renewal.state()).isEqualTo(RenewalState.BLOCKED);
    assertThat(renewal.reason().orElseThrow()).startsWith("not_confirmed");
    assertThat(revoker.revoked).isEmpty();

    answer = new Reenrolment.Outcome.Delivered();
    assertThat(workflow.start(old.sha256Fingerprint(), "cli", "retry"))
        .isInstanceOf(StartOutcome.Started.class);
    assertThat(workflow.start(old.sha256Fingerprint(), "cli", "retry"))
        .as("a second start asks the device again")
        .isInstanceOf(StartOutcome.AlreadyInProgress.class);
    assertThat(requests).hasSize(4);
    clock.advance(Duration.ofMinutes(5));
    connected(ca.issueDevice(DEVICE, Validity.days(90)));
    assertThat(workflow.advance().completed()).hasSize(1);
  }

  @Test
  void aFailedRevocationBlocksWithItsReasonAndKeepsTheOldBinding() {
    IssuedCertificate old = connected(ca.issueDevice(DEVICE, Validity.days(90)));
    InventoryTestStore.registerDevice(db, DEVICE);
    inventory.bind(
        old.sha256Fingerprint(), io.auditgate.controlplane.inventory.BindingKind.DEVICE, DEVICE);
    workflow.start(old.sha256Fingerprint(), "cli", "replace");
    clock.advance(Duration.ofMinutes(1));
    connected(ca.issueDevice(DEVICE, Validity.days(90)));
    revoker.failWith = Optional.of("not_issued_here");

    AdvanceReport report = workflow.advance();

    assertThat(report.blocked())
        .containsExactly(
            new AdvanceReport.Blocked(
                old.sha256Fingerprint(), "revocation_failed: not_issued_here"));
    assertThat(boundCertificate()).isEqualTo(old.sha256Fingerprint());
  }

  @Test
  void onlyDeviceCertificatesInServiceCanBeReplaced() {
    IssuedCertificate server = ca.issueServer(List.of("gw.example"), Validity.days(90));
    inventory.record(server.chain(), Sighting.of(SourceKind.FILE, "/etc/gw.pem", T0));
    IssuedCertificate expired = connected(ca.issueDevice("dev-x", Validity.days(1)));

    assertThat(workflow.start(server.sha256Fingerprint(), "cli", "replace"))
        .isEqualTo(
            new StartOutcome.NotReplaceable(
                server.sha256Fingerprint(), "not_a_device_certificate"));
    assertThat(workflow.start("ab".repeat(32), "cli", "replace"))
        .isEqualTo(new StartOutcome.UnknownCertificate("ab".repeat(32)));
    clock.advance(Duration.ofDays(2));
    assertThat(workflow.start(expired.sha256Fingerprint(), "cli", "replace"))
        .isEqualTo(new StartOutcome.NotReplaceable(expired.sha256Fingerprint(), "expired"));
    assertThat(requests).isEmpty();
  }

  @Test
  void automaticRenewalStartsCertificatesPastTheirJitteredRenewPointOnce() {
    RenewalPolicy policy =
        new RenewalPolicy(true, 0.667, 0.10, Duration.ofDays(7), Duration.ofHours(1));
    workflow = workflow(policy);
    IssuedCertificate a = connected(ca.issueDevice("dev-a", Validity.days(30)));
    IssuedCertificate b = connected(ca.issueDevice("dev-b", Validity.days(300)));
    Instant dueA =
        policy.renewAt(
            a.sha256Fingerprint(),
            a.certificate().getNotBefore().toInstant(),
            a.certificate().getNotAfter().toInstant());

    clock.set(dueA.minusSeconds(1));
    assertThat(workflow.renewDue(10)).isEmpty();
    clock.set(dueA);
    assertThat(workflow.renewDue(10)).containsExactly(a.sha256Fingerprint());
    assertThat(requests).containsExactly("dev-a:renewal_due");
    assertThat(workflow.renewDue(10)).as("already in progress").isEmpty();
    assertThat(state(a)).isEqualTo(RenewalState.IN_PROGRESS);
    assertThat(state(b)).isEqualTo(RenewalState.NOT_STARTED);
    assertThat(
            InventoryTestStore.rows(
                db,
                "SELECT from_state, to_state, actor FROM certificate_renewal_history"
                    + " WHERE sha256 = '"
                    + a.sha256Fingerprint()
                    + "' ORDER BY id"))
        .containsExactly(
            List.of("not_started", "planned", "auto-renewal"),
            List.of("planned", "in_progress", "auto-renewal"));
  }

  @Test
  void theJitterIsStablePerCertificateBoundedAndSpreadsAFleet() {
    RenewalPolicy policy = RenewalPolicy.DEFAULTS;
    Instant nb = T0;
    Instant na = T0.plus(Duration.ofDays(90));
    Instant base = nb.plus(Duration.ofMillis(Math.round(Duration.ofDays(90).toMillis() * 0.667)));
    List<Instant> points = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      String sha = String.format("%064x", i);
      Instant at = policy.renewAt(sha, nb, na);
      assertThat(policy.renewAt(sha, nb, na)).isEqualTo(at);
      assertThat(Duration.between(base, at).abs()).isLessThanOrEqualTo(Duration.ofDays(7));
      points.add(at);
    }
    assertThat(points.stream().distinct().count()).isGreaterThan(45);
    assertThat(points).anyMatch(p -> p.isBefore(base)).anyMatch(p -> p.isAfter(base));
  }

  private IssuedCertificate connected(IssuedCertificate c) {
    String device = c.certificate().getSubjectX500Principal().getName().substring(3);
    inventory.record(
        c.chain(),
        new Sighting(
            SourceKind.LISTENER_MQTT, "mqtt@gw-1", Optional.of(device), clock.instant(), Map.of()));
    return c;
  }

  private RenewalState state(IssuedCertificate c) {
    return inventory.detail(c.sha256Fingerprint()).orElseThrow().renewal().state();
  }

  private List<String> kinds(IssuedCertificate c) {
    return new CertificateEventLog(db)
        .timeline(c.sha256Fingerprint(), 100).stream().map(CertificateEvent::kind).toList();
  }

  private String boundCertificate() {
    return InventoryTestStore.rows(
            db, "SELECT bound_certificate_sha256 FROM devices WHERE device_id = '" + DEVICE + "'")
        .get(0)
        .get(0);
  }

  /** Revokes into a map that is also the inventory's revocation view. */
  private final class FakeRevoker implements Revoker, RevocationView {
    final Map<String, Revocation> revoked = new ConcurrentHashMap<>();
    Optional<String> failWith = Optional.empty();
    int calls;

    @Override
    public Result revokeSuperseded(String sha256, String actor) {
      calls++;
      if (failWith.isPresent()) {
        return new Result.Failed(failWith.get());
      }
      boolean already = revoked.containsKey(sha256);
      revoked.putIfAbsent(sha256, new Revocation(sha256, clock.instant(), "superseded"));
      return new Result.Revoked(already);
    }

    @Override
    public Optional<Revocation> revocation(String sha256) {
      return Optional.ofNullable(revoked.get(sha256));
    }

    @Override
    public List<Revocation> revoked() {
      return List.copyOf(revoked.values());
    }
  }
}
