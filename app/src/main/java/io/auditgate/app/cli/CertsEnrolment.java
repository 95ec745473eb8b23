package io.auditgate.app.cli;

import io.auditgate.app.config.Durations;
import io.auditgate.app.runtime.EnrolmentRuntime;
import io.auditgate.app.runtime.StoreAccess;
import io.auditgate.certs.CertificateBundles;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.controlplane.enrolment.Enrolment;
import io.auditgate.controlplane.enrolment.EnrolmentOutcome;
import io.auditgate.controlplane.enrolment.EnrolmentTokens;
import io.auditgate.controlplane.enrolment.IssuedEnrolmentToken;
import io.auditgate.controlplane.enrolment.RevocationStatus;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.EnrolmentConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate certs enrol-token create} and {@code auditgate certs issue}: the operator's side
 * of device enrolment (docs/certificates-enrolment.md). Both use the configured store (tokens and
 * the issuance record live there) and, for issuing, the section {@code certificates.enrolment}'s CA
 * and policy.
 */
final class CertsEnrolment {
  private CertsEnrolment() {}

  @Command(
      name = "enrol-token",
      mixinStandardHelpOptions = true,
      description = "One-time enrolment tokens for EST simpleenroll (HTTP Basic password).",
      subcommands = {CreateToken.class})
  static final class EnrolToken implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a one-time enrolment token bound to one device and print it once (only its SHA-256"
            + " is stored).",
        "The device sends it as the password of HTTP Basic to /.well-known/est/simpleenroll."
      })
  static final class CreateToken implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TokensCommand.ConfigOptions config = new TokensCommand.ConfigOptions();

    @Option(
        names = "--device",
        required = true,
        paramLabel = "ID",
        description = "The only device the token can enrol, ^[A-Za-z0-9_-]{1,64}$.")
    String device;

    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        description = "How long the token stays usable, 1m to 30d (default: ${DEFAULT-VALUE}).")
    String ttl = "24h";

    @Override
    public Integer call() {
      Duration lifetime;
      try {
        lifetime = Durations.parse(ttl);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--ttl: " + e.getMessage(), e);
      }
      Clock clock = Clock.systemUTC();
      try (StoreAccess store = StoreAccess.open(config.load(), clock)) {
        IssuedEnrolmentToken token =
            new EnrolmentTokens(store.options(), clock).create(device, lifetime);
        spec.commandLine().getOut().println(token.secret());
        spec.commandLine()
            .getErr()
            .printf(
                "created enrolment token %d for device %s, valid until %s; it is shown only this"
                    + " once%n",
                token.id(), token.deviceId(), token.expiresAt());
      }
      return 0;
    }
  }

  @Command(
      name = "issue",
      mixinStandardHelpOptions = true,
      description = {
        "Issue a device certificate offline from a CSR file (PEM or DER) with the CA of section"
            + " enrolment, under its CSR policy; the issuance is recorded in the store.",
        "The CSR must name exactly --device (subject CN and/or SAN URI urn:auditgate:device:ID).",
        "Prints the certificate and the issuing CA as PEM (or writes them to --out)."
      })
  static final class Issue implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TokensCommand.ConfigOptions config = new TokensCommand.ConfigOptions();

    @Option(
        names = "--csr",
        required = true,
        paramLabel = "FILE",
        description = "The PKCS#10 request.")
    Path csr;

    @Option(
        names = "--device",
        required = true,
        paramLabel = "ID",
        description = "The device the operator vouches the CSR is for.")
    String device;

    @Option(
        names = "--ca-dir",
        paramLabel = "DIR",
        description =
            "The CA directory (default: certificates.enrolment.ca_dir of the configuration).")
    Path caDir;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write the PEM chain here instead of printing it.")
    Path out;

    @Override
    public Integer call() {
      byte[] request;
      try {
        request = Files.readAllBytes(csr);
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException("--csr: " + csr + " does not exist", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + csr, e);
      }
      Clock clock = Clock.systemUTC();
      AuditgateConfig loaded = config.load();
      EnrolmentConfig section =
          caDir == null
              ? loaded.certificates().enrolment()
              : loaded.certificates().enrolment().withCaDir(caDir);
      DevCertificateAuthority ca = EnrolmentRuntime.loadCa(section, clock);
      try (StoreAccess store = StoreAccess.open(loaded, clock)) {
        Enrolment enrolment =
            EnrolmentRuntime.enrolment(
                ca,
                section,
                EnrolmentRuntime.revocationPointers(loaded.certificates().revocation()),
                store.options(),
                RevocationStatus.NONE_REVOKED,
                List.of(),
                clock);
        EnrolmentOutcome outcome = enrolment.issueForOperator(device, request);
        if (outcome instanceof EnrolmentOutcome.Refused refused) {
          spec.commandLine()
              .getErr()
              .printf("refused: %s: %s%n", refused.refusal().code(), refused.refusal().message());
          return 1;
        }
        EnrolmentOutcome.Issued issued = (EnrolmentOutcome.Issued) outcome;
        String pem = CertificateBundles.pem(issued.chain());
        if (out == null) {
          spec.commandLine().getOut().print(pem);
          spec.commandLine().getOut().flush();
        } else {
          try {
            Files.writeString(out, pem);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + out, e);
          }
        }
        spec.commandLine()
            .getErr()
            .printf(
                "issued serial %s to device %s, valid until %s, sha256:%s%n",
                issued.record().serialHex(),
                issued.record().deviceId(),
                issued.record().notAfter(),
                issued.record().sha256());
      }
      return 0;
    }
  }
}
