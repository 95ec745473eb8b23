package io.auditgate.app.cli;

import io.auditgate.app.runtime.StoreAccess;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.PublishedCrl;
import io.auditgate.controlplane.revocation.RevocationOptions;
import io.auditgate.controlplane.revocation.RevocationRecord;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import io.auditgate.core.config.AuditgateConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate certs revoke} and {@code auditgate certs crl}: revocation through the control
 * plane's tables (the store of the configuration), signed by the CA in {@code --ca-dir}.
 */
final class CertsRevocation {
  private CertsRevocation() {}

  /** Runs {@code work} with the revocation service over the configured store. */
  static <T> T withRevocations(
      TokensCommand.ConfigOptions config, CertsCommand.CaDir ca, Function<Revocations, T> work) {
    Clock clock = Clock.systemUTC();
    AuditgateConfig loaded = config.load();
    try (StoreAccess store = StoreAccess.open(loaded, clock);
        // --sha256 finds the certificate (and its serial) in the inventory; trust is not needed
        io.auditgate.controlplane.inventory.CertificateInventory inventory =
            io.auditgate.controlplane.inventory.Inventories.jdbc(
                store.options(),
                clock,
                new io.auditgate.controlplane.revocation.InventoryRevocationView(store.options()),
                List.of(),
                io.auditgate.controlplane.inventory.InventoryPolicy.defaults())) {
      CertificateSource source =
          sha256 ->
              inventory
                  .detail(sha256)
                  .map(
                      d -> {
                        try {
                          return (X509Certificate)
                              java.security.cert.CertificateFactory.getInstance("X.509")
                                  .generateCertificate(new java.io.ByteArrayInputStream(d.der()));
                        } catch (java.security.cert.CertificateException e) {
                          throw new IllegalStateException("a stored DER does not parse", e);
                        }
                      });
      Revocations revocations =
          new io.auditgate.controlplane.revocation.EventLoggingRevocations(
              Revocations.over(
                  store.options(),
                  ca.load().revocationAuthority(),
                  source,
                  new RevocationOptions(
                      loaded.certificates().revocation().crlValidity(),
                      loaded.certificates().revocation().ocspValidity()),
                  clock),
              store.options());
      return work.apply(revocations);
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description =
          "Revoke a certificate of the CA: it is listed in the next CRL (published at once) and"
              + " refused by gateways that fetch it. Revoking twice keeps the first time and reason.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TokensCommand.ConfigOptions config = new TokensCommand.ConfigOptions();
    @Mixin CertsCommand.CaDir ca = new CertsCommand.CaDir();

    @ArgGroup(multiplicity = "1")
    Target target;

    static final class Target {
      @Option(
          names = "--cert",
          paramLabel = "FILE",
          description = "The certificate (PEM; the first one in the file).")
      Path certificate;

      @Option(
          names = "--sha256",
          paramLabel = "HEX",
          description =
              "Its SHA-256 fingerprint (64 hex digits), looked up in the certificate inventory.")
      String sha256;

      @Option(names = "--serial", paramLabel = "HEX", description = "Its serial number in hex.")
      String serial;
    }

    @Option(
        names = "--reason",
        defaultValue = "unspecified",
        description =
            "RFC 5280 reason: unspecified, keyCompromise, cACompromise, affiliationChanged,"
                + " superseded, cessationOfOperation, certificateHold, privilegeWithdrawn,"
                + " aACompromise (default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = "--by", defaultValue = "cli", description = "Who revokes (for the record).")
    String by;

    @Option(names = "--comment", description = "Why, for the record.")
    String comment;

    @Override
    public Integer call() throws IOException {
      RevocationTarget parsed = target();
      RevokeRequest request = new RevokeRequest(parsed, reason, by, Optional.ofNullable(comment));
      RevokeOutcome outcome = withRevocations(config, ca, r -> r.revoke(request));
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (outcome instanceof RevokeOutcome.Revoked revoked) {
        out.println(describe(revoked.record()));
        err.printf(
            "revoked; CRL %s published (%d entries, next update %s)%n",
            revoked.crl().number(), revoked.crl().entries(), revoked.crl().nextUpdate());
        return 0;
      }
      if (outcome instanceof RevokeOutcome.AlreadyRevoked already) {
        out.println(describe(already.existing()));
        err.println("already revoked; the first revocation stands");
        return 0;
      }
      if (outcome instanceof RevokeOutcome.UnknownCertificate unknown) {
        err.printf(
            "no certificate with SHA-256 %s is known; give it with --cert FILE or --serial HEX%n",
            unknown.sha256());
      } else if (outcome instanceof RevokeOutcome.NotIssuedHere other) {
        err.printf(
            "the certificate was issued by %s, not by this CA (%s)%n",
            other.issuer(), other.expectedIssuer());
      } else if (outcome instanceof RevokeOutcome.InvalidReason invalid) {
        err.printf("unknown reason '%s'; one of: %s%n", invalid.given(), invalid.allowed());
        return 2;
      }
      return 1;
    }

    private RevocationTarget target() throws IOException {
      if (target.certificate != null) {
        return new RevocationTarget.Certificate(readCertificate(target.certificate));
      }
      if (target.sha256 != null) {
        return new RevocationTarget.Sha256(target.sha256.toLowerCase(java.util.Locale.ROOT));
      }
      try {
        return new RevocationTarget.Serial(new BigInteger(target.serial, 16));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--serial must be hex, got '" + target.serial + "'");
      }
    }

    private static X509Certificate readCertificate(Path file) throws IOException {
      try {
        return (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(file)));
      } catch (CertificateException e) {
        throw new IllegalArgumentException(file + " holds no certificate: " + e.getMessage(), e);
      }
    }

    private static String describe(RevocationRecord r) {
      return String.join(
          "\t",
          r.serialHex(),
          r.certificateSha256().orElse("-"),
          r.reason(),
          r.revokedAt().toString(),
          r.revokedBy());
    }
  }

  @Command(
      name = "crl",
      mixinStandardHelpOptions = true,
      description =
          "Print the CA's current CRL as PEM, or write it to --out (DER, or PEM with --pem);"
              + " re-signs it first when it is due.")
  static final class Crl implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin TokensCommand.ConfigOptions config = new TokensCommand.ConfigOptions();
    @Mixin CertsCommand.CaDir ca = new CertsCommand.CaDir();

    @Option(names = "--out", paramLabel = "FILE", description = "Write the CRL to this file.")
    Path out;

    @Option(names = "--pem", description = "Write PEM to --out instead of DER.")
    boolean pem;

    @Override
    public Integer call() throws IOException {
      PublishedCrl crl = withRevocations(config, ca, r -> r.crl(r.crlName()).orElseThrow());
      String pemText =
          "-----BEGIN X509 CRL-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(crl.der())
              + "\n-----END X509 CRL-----\n";
      if (out == null) {
        spec.commandLine().getOut().print(pemText);
      } else if (pem) {
        Files.writeString(out, pemText, StandardCharsets.US_ASCII);
      } else {
        Files.write(out, crl.der());
      }
      spec.commandLine()
          .getErr()
          .printf(
              "CRL %s of %s: %d entries, this update %s, next update %s%n",
              crl.number(), crl.name(), crl.entries(), crl.thisUpdate(), crl.nextUpdate());
      return 0;
    }
  }
}
