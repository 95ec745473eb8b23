package io.auditgate.app.cli;

import io.auditgate.app.runtime.StoreAccess;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.x509.CertificateFiles;
import io.auditgate.controlplane.inventory.CertificateDetail;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.CertificateQuery;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.CertificateSummary;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.PostureCondition;
import io.auditgate.controlplane.inventory.PostureSummary;
import io.auditgate.controlplane.inventory.SightingView;
import io.auditgate.controlplane.inventory.discovery.CertificateFileImporter;
import io.auditgate.controlplane.inventory.discovery.ImportReport;
import io.auditgate.controlplane.inventory.discovery.ScanResult;
import io.auditgate.controlplane.inventory.discovery.TlsEndpoint;
import io.auditgate.controlplane.inventory.discovery.TlsEndpointScanner;
import io.auditgate.core.config.AuditgateConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate certs inventory …}: the certificate inventory in the configured store — list,
 * show, posture, import a directory, scan TLS endpoints. Trust anchors: the development CA's root
 * in {@code --ca-dir} when there is one, the files of {@code certificates.inventory.trust_anchors},
 * and any {@code --anchor} file; expiry windows and maximum age from {@code
 * certificates.inventory}. Revocation is read from the store's certificate_revocations (as the node
 * does).
 */
@Command(
    name = "inventory",
    mixinStandardHelpOptions = true,
    description = "The certificate inventory: list, show, posture, import DIR, scan HOST:PORT.",
    subcommands = {
      CertsInventoryCommand.ListCertificates.class,
      CertsInventoryCommand.Show.class,
      CertsInventoryCommand.Posture.class,
      CertsInventoryCommand.Import.class,
      CertsInventoryCommand.Scan.class
    })
public final class CertsInventoryCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Store (--config/--set) and trust anchors (--ca-dir, --anchor). */
  static final class InventoryOptions {
    @Mixin TokensCommand.ConfigOptions config = new TokensCommand.ConfigOptions();

    @Option(
        names = "--ca-dir",
        paramLabel = "DIR",
        description = "Development CA whose root is a trust anchor (default: ${DEFAULT-VALUE}).")
    Path caDir = Path.of("data", "ca");

    @Option(
        names = "--anchor",
        paramLabel = "FILE",
        description = "PEM/DER file of trust anchors (repeatable).")
    List<Path> anchors = new ArrayList<>();

    List<X509Certificate> trustAnchors(AuditgateConfig loaded) {
      List<X509Certificate> out = new ArrayList<>();
      if (DevCertificateAuthority.existsIn(caDir)) {
        readInto(caDir.resolve(DevCertificateAuthority.ROOT_CERTIFICATE), out);
      }
      loaded.certificates().inventory().trustAnchors().forEach(a -> readInto(Path.of(a), out));
      anchors.forEach(a -> readInto(a, out));
      return out;
    }

    private static void readInto(Path file, List<X509Certificate> out) {
      CertificateFiles.Result r = CertificateFiles.read(file, Optional.empty());
      if (r instanceof CertificateFiles.Result.Refused refused) {
        throw new IllegalArgumentException(
            "--anchor " + file + ": " + refused.reason().code() + ": " + refused.message());
      }
      out.addAll(((CertificateFiles.Result.Read) r).certificates());
    }

    <T> T with(Clock clock, java.util.function.BiFunction<StoreAccess, CertificateInventory, T> f) {
      AuditgateConfig loaded = config.load();
      try (StoreAccess store = StoreAccess.open(loaded, clock);
          CertificateInventory inventory =
              Inventories.jdbc(
                  store.options(),
                  clock,
                  new io.auditgate.controlplane.revocation.InventoryRevocationView(store.options()),
                  trustAnchors(loaded),
                  new InventoryPolicy(
                      loaded.certificates().inventory().expiryWindowDays(),
                      loaded.certificates().inventory().maxAge()))) {
        return f.apply(store, inventory);
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List certificates.")
  static final class ListCertificates implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin InventoryOptions options = new InventoryOptions();

    @Option(
        names = "--status",
        description = "active, expiring_soon, expired, revoked, replaced, untrusted.")
    String status;

    @Option(
        names = "--expiring-within",
        paramLabel = "DAYS",
        description = "Expiring within N days.")
    Integer within;

    @Option(names = "--device", description = "Certificates of this device.")
    String device;

    @Option(
        names = "--condition",
        description =
            "Only what a posture rule counts: unbound, shared, revoked_still_connecting, weak_key,"
                + " sha1_signature, untrusted, older_than_max_age.")
    String condition;

    @Option(names = "--limit", description = "At most (default: ${DEFAULT-VALUE}).")
    int limit = 100;

    @Override
    public Integer call() {
      CertificateQuery q = CertificateQuery.all().page(0, limit);
      if (status != null) {
        q =
            q.withStatus(
                CertificateStatus.ofLabel(status)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "--status: unknown status '" + status + "'")));
      }
      if (within != null) {
        q = q.withExpiringWithinDays(within);
      }
      if (device != null) {
        q = q.withDevice(device);
      }
      if (condition != null) {
        q =
            q.withCondition(
                PostureCondition.ofLabel(condition)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "--condition: unknown condition '" + condition + "'")));
      }
      CertificateQuery query = q;
      PrintWriter out = spec.commandLine().getOut();
      options.with(
          Clock.systemUTC(),
          (store, inventory) -> {
            var page = inventory.list(query);
            out.printf("%-13s  %-20s  %-64s  %s%n", "STATUS", "NOT_AFTER", "SHA256", "SUBJECT");
            for (CertificateSummary c : page.items()) {
              out.printf(
                  "%-13s  %-20s  %s  %s%s%n",
                  c.status().label(),
                  c.notAfter(),
                  c.sha256(),
                  c.subject(),
                  c.deviceId().map(d -> "  device=" + d).orElse(""));
            }
            out.printf("%d of %d%n", page.items().size(), page.total());
            return 0;
          });
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one certificate.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin InventoryOptions options = new InventoryOptions();

    @Parameters(paramLabel = "SHA256", description = "The certificate's SHA-256 fingerprint.")
    String sha256;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return options.with(
          Clock.systemUTC(),
          (store, inventory) -> {
            Optional<CertificateDetail> found =
                inventory.detail(sha256.toLowerCase(java.util.Locale.ROOT));
            if (found.isEmpty()) {
              spec.commandLine().getErr().printf("no certificate with sha256 %s%n", sha256);
              return 1;
            }
            CertificateDetail d = found.get();
            CertificateSummary s = d.summary();
            out.printf("sha256:      %s%n", s.sha256());
            out.printf("status:      %s%n", s.status().label());
            out.printf("subject:     %s%n", s.subject());
            out.printf("issuer:      %s%n", s.issuer());
            out.printf("serial:      %s%n", s.serialHex());
            out.printf(
                "key:         %s %d%s%n",
                s.keyType(), s.keyBits(), d.keyCurve().map(c -> " " + c).orElse(""));
            out.printf("signature:   %s%n", s.signatureAlgorithm());
            out.printf("valid:       %s .. %s%n", s.notBefore(), s.notAfter());
            out.printf("ca:          %s%n", s.ca());
            out.printf("device:      %s%n", s.deviceId().orElse("-"));
            out.printf(
                "sans:        dns=%s ip=%s uri=%s email=%s%n",
                d.dnsNames(), d.ipAddresses(), d.uris(), d.emails());
            out.printf(
                "trusted:     %s%n",
                s.trusted() ? "yes" : "no (" + s.trustReason().orElse("?") + ")");
            out.printf("weaknesses:  %s%n", s.weaknesses());
            out.printf("chain:       %s%n", d.chain());
            for (SightingView v : d.sightings()) {
              out.printf(
                  "seen:        %s %s%s x%d %s..%s%n",
                  v.source().label(),
                  v.location(),
                  v.deviceId().map(x -> " device=" + x).orElse(""),
                  v.count(),
                  v.firstSeenAt(),
                  v.lastSeenAt());
            }
            d.bindings()
                .forEach(b -> out.printf("bound:       %s %s%n", b.kind().label(), b.target()));
            out.printf("renewal:     %s%n", d.renewal().state().label());
            return 0;
          });
    }
  }

  @Command(name = "posture", mixinStandardHelpOptions = true, description = "The posture summary.")
  static final class Posture implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin InventoryOptions options = new InventoryOptions();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return options.with(
          Clock.systemUTC(),
          (store, inventory) -> {
            PostureSummary p = inventory.posture();
            out.printf("total %d%n", p.total());
            p.byStatus().forEach((k, v) -> out.printf("status %s %d%n", k.label(), v));
            p.expiringWithin().forEach((k, v) -> out.printf("expiring_within_%d_days %d%n", k, v));
            out.printf("unbound %d%n", p.unbound());
            out.printf("shared %d%n", p.shared());
            out.printf("revoked_still_connecting %d%n", p.revokedStillConnecting());
            out.printf("weak_keys %d%n", p.weakKeys());
            out.printf("sha1_signatures %d%n", p.sha1Signatures());
            out.printf("untrusted %d%n", p.untrusted());
            out.printf("older_than_max_age %d%n", p.olderThanMaxAge());
            return 0;
          });
    }
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Import PEM, DER, PKCS#12 and JKS files from a directory.")
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin InventoryOptions options = new InventoryOptions();

    @Parameters(paramLabel = "DIR", description = "Directory to import (recursively).")
    Path dir;

    @Option(
        names = "--password",
        interactive = true,
        arity = "0..1",
        description = "Keystore password (asked for when given without a value).")
    char[] password;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return options.with(
          Clock.systemUTC(),
          (store, inventory) -> {
            ImportReport report =
                new CertificateFileImporter(inventory, Clock.systemUTC())
                    .importDirectory(dir, Optional.ofNullable(password));
            for (ImportReport.Imported i : report.imported()) {
              out.printf(
                  "imported %s (%s): %d certificates, %d new%n",
                  i.file(), i.format(), i.sha256s().size(), i.added().size());
            }
            for (ImportReport.Refused r : report.refused()) {
              out.printf("refused  %s: %s: %s%n", r.file(), r.reason(), r.message());
            }
            return report.refused().isEmpty() ? 0 : 1;
          });
    }
  }

  @Command(
      name = "scan",
      mixinStandardHelpOptions = true,
      description = "Scan TLS endpoints and record the chains they present.")
  static final class Scan implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin InventoryOptions options = new InventoryOptions();

    @Parameters(paramLabel = "HOST:PORT", description = "Endpoints ([v6]:port for IPv6).")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--timeout-seconds", description = "Per endpoint (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 5;

    @Override
    public Integer call() {
      List<TlsEndpoint> targets = new ArrayList<>();
      for (String e : endpoints) {
        targets.add(
            TlsEndpoint.parse(e)
                .orElseThrow(
                    () -> new IllegalArgumentException("HOST:PORT expected, got '" + e + "'")));
      }
      PrintWriter out = spec.commandLine().getOut();
      return options.with(
          Clock.systemUTC(),
          (store, inventory) -> {
            TlsEndpointScanner scanner =
                new TlsEndpointScanner(
                    inventory,
                    store.options(),
                    Clock.systemUTC(),
                    Duration.ofSeconds(timeoutSeconds));
            int failed = 0;
            for (TlsEndpoint t : targets) {
              ScanResult r = scanner.scan(t);
              if (r instanceof ScanResult.Scanned s) {
                out.printf(
                    "%s  %s %s  leaf %s  expires %s%n",
                    t, s.protocol(), s.cipherSuite(), s.chainSha256().get(0), s.leafNotAfter());
              } else if (r instanceof ScanResult.Failed f) {
                failed++;
                out.printf("%s  failed: %s: %s%n", t, f.reason().code(), f.message());
              }
            }
            return failed == 0 ? 0 : 1;
          });
    }
  }
}
