package io.auditgate.app.cli;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate certs …}: the development CA that gives listeners and simulated devices their
 * identities until the certificate control plane replaces it.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description =
        "The certificate control plane: the built-in CA and what it issues (server and device"
            + " certificates, enrolment tokens, certificates from CSRs), revocation and the CRL,"
            + " replacement, and the inventory of every certificate seen.",
    subcommands = {
      CertsCommand.Init.class,
      CertsCommand.IssueServer.class,
      CertsCommand.IssueDevice.class,
      CertsEnrolment.EnrolToken.class,
      CertsEnrolment.Issue.class,
      CertsRevocation.Revoke.class,
      CertsRevocation.Crl.class,
      CertsReplace.class,
      CertsInventoryCommand.class
    })
public final class CertsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every certs subcommand shares. */
  static class CaDir {
    @Option(
        names = "--ca-dir",
        paramLabel = "DIR",
        description = "Where the CA's certificates and keys live (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of("data", "ca");

    DevCertificateAuthority load() {
      return DevCertificateAuthority.load(dir, Optional.empty(), Clock.systemUTC()).orElseThrow();
    }
  }

  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Create a root and an issuing CA (ECDSA P-256) in --ca-dir; refuses to overwrite one.")
  static final class Init implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin CaDir ca = new CaDir();

    @Override
    public Integer call() {
      if (DevCertificateAuthority.existsIn(ca.dir)) {
        throw new IllegalArgumentException(
            "a CA already exists in " + ca.dir + "; remove it first to start over");
      }
      DevCertificateAuthority created =
          DevCertificateAuthority.create(
              ca.dir, CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
      spec.commandLine()
          .getOut()
          .printf(
              "created a development CA in %s; trust anchor: %s%n",
              ca.dir, created.rootCertificateFile());
      return 0;
    }
  }

  @Command(
      name = "issue-server",
      mixinStandardHelpOptions = true,
      description = "Issue a TLS server certificate for the listeners.")
  static final class IssueServer implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin CaDir ca = new CaDir();

    @Option(
        names = "--host",
        required = true,
        paramLabel = "NAME",
        description = "DNS name or IP address it is for (repeatable).")
    List<String> hosts = new ArrayList<>();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Directory for server.crt and server.key (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("data", "tls");

    @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days = 397;

    @Override
    public Integer call() {
      IssuedCertificate issued = ca.load().issueServer(hosts, Validity.days(days));
      print(spec.commandLine().getOut(), issued.writePem(out, "server"), issued);
      return 0;
    }
  }

  @Command(
      name = "issue-device",
      mixinStandardHelpOptions = true,
      description = "Issue a device's client certificate (CN and SAN URI urn:auditgate:device:ID).")
  static final class IssueDevice implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin CaDir ca = new CaDir();

    @Parameters(paramLabel = "DEVICE_ID", description = "The device id, ^[A-Za-z0-9_-]{1,64}$.")
    List<String> deviceIds = new ArrayList<>();

    @Option(
        names = "--out",
        paramLabel = "DIR",
        description = "Directory for ID.crt and ID.key (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("data", "devices");

    @Option(names = "--days", description = "Validity in days (default: ${DEFAULT-VALUE}).")
    int days = 365;

    @Option(
        names = "--expired",
        description = "Issue an already expired certificate (for fault tests).")
    boolean expired;

    @Override
    public Integer call() {
      DevCertificateAuthority authority = ca.load();
      for (String id : deviceIds) {
        IssuedCertificate issued =
            authority.issueDevice(id, expired ? Validity.expired() : Validity.days(days));
        print(spec.commandLine().getOut(), issued.writePem(out, id), issued);
      }
      return 0;
    }
  }

  private static void print(PrintWriter out, PemFiles files, IssuedCertificate issued) {
    out.printf(
        "%s  %s  sha256:%s%n",
        files.certificateChain(), files.privateKey(), issued.sha256Fingerprint());
  }
}
