package io.auditgate.app.runtime;

import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.replacement.Reenrolment;
import io.auditgate.controlplane.replacement.RenewalPolicy;
import io.auditgate.controlplane.replacement.RenewalScheduler;
import io.auditgate.controlplane.replacement.ReplacementWorkflow;
import io.auditgate.controlplane.replacement.Revoker;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateRenewalConfig;
import io.auditgate.ingest.mqtt.CommandOutcome;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.ReplacementApi;
import io.auditgate.web.http.Route;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replacement workflow of a node with a store: {@code POST
 * /api/v1/certificates/{sha256}/replace} and the scheduler that advances replacements and, when
 * {@code certificates.renewal.enabled}, starts automatic renewals every {@code
 * certificates.renewal.check_interval}. Re-enrolment requests go through the node's {@link
 * RenewalCommands} (looked up at each request: they exist only once the gateway and EST are up).
 * Revocation goes through the {@link Revocations} handed to {@link #useRevocations} — until then a
 * confirmed replacement blocks with {@code revocation_failed: no_revocation_service} (the node does
 * not run the revocation service yet; the lead wires it with one line).
 *
 * <p>Thread-safety: thread-safe.
 */
public final class ReplacementRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReplacementRuntime.class);

  /** How long a re-enrolment request waits for the device's PUBACK. */
  static final long ACK_SECONDS = 10;

  private final ReplacementWorkflow workflow;
  private final RenewalScheduler scheduler;
  private final AtomicReference<Optional<Revocations>> revocations;

  private ReplacementRuntime(
      ReplacementWorkflow workflow,
      RenewalScheduler scheduler,
      AtomicReference<Optional<Revocations>> revocations) {
    this.workflow = workflow;
    this.scheduler = scheduler;
    this.revocations = revocations;
  }

  /** Starts the scheduler; {@link #routes()} serve the replace endpoint. */
  public static ReplacementRuntime start(
      AuditgateConfig config,
      StoreOptions store,
      Clock clock,
      CertificateInventory inventory,
      Supplier<Optional<RenewalCommands>> commands) {
    CertificateRenewalConfig c = config.certificates().renewal();
    AtomicReference<Optional<Revocations>> revocations = new AtomicReference<>(Optional.empty());
    RevocationView view =
        new RevocationView() {
          @Override
          public Optional<Revocation> revocation(String sha256) {
            return revocations
                .get()
                .flatMap(r -> r.bySha256(sha256))
                .map(r -> new Revocation(sha256, r.revokedAt(), r.reason()));
          }

          @Override
          public List<Revocation> revoked() {
            return List.of();
          }
        };
    Revoker revoker =
        (sha256, actor) ->
            revocations
                .get()
                .map(r -> Revoker.through(r, inventory).revokeSuperseded(sha256, actor))
                .orElseGet(() -> Revoker.NONE.revokeSuperseded(sha256, actor));
    ReplacementWorkflow workflow =
        new ReplacementWorkflow(
            store,
            inventory,
            view,
            reenrolment(commands),
            revoker,
            new RenewalPolicy(
                c.enabled(), c.atFraction(), c.jitter(), c.jitterCap(), c.confirmWithin()),
            clock);
    RenewalScheduler scheduler = RenewalScheduler.start(workflow, c.checkInterval());
    log.info(
        "certificate replacement: automatic renewal {}, checked every {}",
        c.enabled() ? "on at " + c.atFraction() + " of the lifetime" : "off",
        c.checkInterval());
    return new ReplacementRuntime(workflow, scheduler, revocations);
  }

  /** Asks through the node's MQTT commands, waiting a bounded time for the device's answer. */
  static Reenrolment reenrolment(Supplier<Optional<RenewalCommands>> commands) {
    return (deviceId, reason) -> {
      Optional<RenewalCommands> current = commands.get();
      if (current.isEmpty()) {
        return new Reenrolment.Outcome.NotDelivered("no_command_channel");
      }
      try {
        CommandOutcome outcome =
            current
                .get()
                .requestReenrolment(deviceId, reason)
                .toCompletableFuture()
                .get(ACK_SECONDS, TimeUnit.SECONDS);
        if (outcome instanceof CommandOutcome.Acknowledged
            || outcome instanceof CommandOutcome.Sent) {
          return new Reenrolment.Outcome.Delivered();
        }
        if (outcome instanceof CommandOutcome.NotConnected) {
          return new Reenrolment.Outcome.NotDelivered("not_connected");
        }
        if (outcome instanceof CommandOutcome.NotSubscribed) {
          return new Reenrolment.Outcome.NotDelivered("not_subscribed");
        }
        if (outcome instanceof CommandOutcome.Refused) {
          return new Reenrolment.Outcome.NotDelivered("refused");
        }
        return new Reenrolment.Outcome.NotDelivered("lost");
      } catch (TimeoutException e) {
        return new Reenrolment.Outcome.NotDelivered("timeout");
      } catch (ExecutionException e) {
        return new Reenrolment.Outcome.NotDelivered("failed");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Reenrolment.Outcome.NotDelivered("interrupted");
      }
    };
  }

  /** From now on superseded certificates are revoked through {@code service}. */
  public void useRevocations(Revocations service) {
    revocations.set(Optional.of(service));
  }

  public ReplacementWorkflow workflow() {
    return workflow;
  }

  public List<Route> routes() {
    return new ReplacementApi(workflow).routes();
  }

  @Override
  public void close() {
    scheduler.close();
  }
}
