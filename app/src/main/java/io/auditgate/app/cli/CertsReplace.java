package io.auditgate.app.cli;

import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.replacement.Reenrolment;
import io.auditgate.controlplane.replacement.RenewalPolicy;
import io.auditgate.controlplane.replacement.ReplacementWorkflow;
import io.auditgate.controlplane.replacement.Revoker;
import io.auditgate.controlplane.replacement.StartOutcome;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate certs replace --sha256 HEX}: starts replacing a device certificate in the
 * configured store. This process holds no MQTT connection to the device, so the request is recorded
 * as {@code no_command_channel}; the node's renewal scheduler asks the device at its next check
 * ({@code certificates.renewal.check_interval}) and carries the replacement on from there.
 */
@Command(
    name = "replace",
    mixinStandardHelpOptions = true,
    description =
        "Start replacing a device certificate: the node asks the device to re-enrol; once it"
            + " connects with the new certificate the old one is revoked (superseded) and the"
            + " device binding moves to the new one.")
final class CertsReplace implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin
  CertsInventoryCommand.InventoryOptions options = new CertsInventoryCommand.InventoryOptions();

  @Option(
      names = "--sha256",
      required = true,
      paramLabel = "HEX",
      description = "The certificate's SHA-256 fingerprint (64 hex digits).")
  String sha256;

  @Option(names = "--reason", defaultValue = "replace", description = "Why, for the record.")
  String reason;

  @Option(names = "--by", defaultValue = "cli", description = "Who asks (for the record).")
  String by;

  @Override
  public Integer call() {
    String fingerprint = sha256.toLowerCase(Locale.ROOT);
    if (!fingerprint.matches("^[0-9a-f]{64}$")) {
      throw new IllegalArgumentException("--sha256 must be 64 hex digits, got '" + sha256 + "'");
    }
    Clock clock = Clock.systemUTC();
    StartOutcome outcome =
        options.with(
            clock,
            (store, inventory) ->
                new ReplacementWorkflow(
                        store.options(),
                        inventory,
                        RevocationView.NONE,
                        Reenrolment.NONE,
                        Revoker.NONE,
                        RenewalPolicy.DEFAULTS,
                        clock)
                    .start(fingerprint, by, reason));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (outcome instanceof StartOutcome.Started s) {
      out.printf("started\t%s\t%s%n", s.sha256(), s.deviceId());
      err.println("the node asks the device to re-enrol at its next renewal check");
      return 0;
    }
    if (outcome instanceof StartOutcome.AlreadyInProgress s) {
      out.printf("already_in_progress\t%s\t%s%n", s.sha256(), s.deviceId());
      return 0;
    }
    if (outcome instanceof StartOutcome.NotReplaceable n) {
      err.printf("cannot replace %s: %s%n", n.sha256(), n.reason());
      return 1;
    }
    err.printf("no certificate with SHA-256 %s is in the inventory%n", fingerprint);
    return 1;
  }
}
