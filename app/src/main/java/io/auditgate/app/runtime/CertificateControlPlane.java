package io.auditgate.app.runtime;

import io.auditgate.app.revocation.ControlPlaneRevocation;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.controlplane.CertificateEventLog;
import io.auditgate.controlplane.alerts.AlertConditions;
import io.auditgate.controlplane.alerts.AlertCounts;
import io.auditgate.controlplane.alerts.AlertMonitor;
import io.auditgate.controlplane.alerts.CertificateAlerts;
import io.auditgate.controlplane.alerts.WebhookDelivery;
import io.auditgate.controlplane.alerts.WebhookTarget;
import io.auditgate.controlplane.enrolment.IssuanceListener;
import io.auditgate.controlplane.enrolment.IssuanceRecord;
import io.auditgate.controlplane.enrolment.RevocationStatus;
import io.auditgate.controlplane.inventory.BindOutcome;
import io.auditgate.controlplane.inventory.BindingKind;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.controlplane.inventory.discovery.CertificateUpload;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.EventLoggingRevocations;
import io.auditgate.controlplane.revocation.InventoryRevocationView;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.CertificateAlertsConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.retry.Backoff;
import io.auditgate.store.StoreOptions;
import io.auditgate.web.api.CertificateOperationsApi;
import io.auditgate.web.http.Route;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The certificate control plane as a node with a store runs it, assembled in one place: the
 * inventory (with its collectors and scans), revocation when the node runs a CA ({@code
 * certificates.enrolment.enabled}: {@code /crl}, {@code /ocsp}, the CRL schedule), the alerts
 * ({@code certificates.alerts}: evaluation, webhook), and the seams between them — the inventory
 * reads revocation from {@code certificate_revocations}; revocation by fingerprint finds the
 * certificate in the inventory; EST re-enrolment refuses revoked certificates; every issued
 * certificate is recorded in the inventory, bound to its device and written to its timeline. docs:
 * certificates-wiring.md.
 *
 * <p>Thread-safety: the parts are thread-safe; {@link #close()} stops them in reverse order.
 */
public final class CertificateControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CertificateControlPlane.class);

  /** How often the webhook outbox is drained; cheap when empty (one claim statement). */
  static final Duration DELIVER_EVERY = Duration.ofSeconds(1);

  private final List<AutoCloseable> started;
  private final CertificateInventoryRuntime inventory;
  private final Optional<DevCertificateAuthority> ca;
  private final Optional<Revocations> revocations;
  private final CertificateAlerts alerts;
  private final List<Route> routes;
  private final IssuanceListener issuance;

  private CertificateControlPlane(
      List<AutoCloseable> started,
      CertificateInventoryRuntime inventory,
      Optional<DevCertificateAuthority> ca,
      Optional<Revocations> revocations,
      CertificateAlerts alerts,
      List<Route> routes,
      IssuanceListener issuance) {
    this.started = started;
    this.inventory = inventory;
    this.ca = ca;
    this.revocations = revocations;
    this.alerts = alerts;
    this.routes = routes;
    this.issuance = issuance;
  }

  /**
   * Starts every part.
   *
   * @throws ConfigException naming the key when the CA, an anchor, or the webhook's secret or trust
   *     file cannot be used
   */
  public static CertificateControlPlane start(
      AuditgateConfig config, StoreOptions store, Clock clock) {
    List<AutoCloseable> started = new ArrayList<>();
    try {
      Optional<DevCertificateAuthority> ca =
          config.certificates().enrolment().enabled()
              ? Optional.of(EnrolmentRuntime.loadCa(config.certificates().enrolment(), clock))
              : Optional.empty();
      InventoryRevocationView revocationView = new InventoryRevocationView(store);
      List<X509Certificate> caAnchors = ca.map(a -> List.of(a.rootCertificate())).orElse(List.of());
      CertificateInventoryRuntime inventory =
          CertificateInventoryRuntime.start(config, store, clock, revocationView, caAnchors);
      started.add(inventory);
      CertificateInventory inv = inventory.inventory();
      Optional<Revocations> revocations = Optional.empty();
      List<Route> routes = new ArrayList<>(inventory.routes());
      if (ca.isPresent()) {
        ControlPlaneRevocation revocation =
            ControlPlaneRevocation.start(
                store, ca.get(), certificateSource(inv), config.certificates().revocation(), clock);
        started.add(revocation);
        revocations = Optional.of(new EventLoggingRevocations(revocation.revocations(), store));
        routes.addAll(revocation.routes());
        recordCa(inv, ca.get(), clock);
      } else {
        log.info(
            "no CA on this node (certificates.enrolment.enabled is false): no CRL, OCSP or revocation");
      }
      CertificateAlertsConfig alertsConfig = config.certificates().alerts();
      InventoryPolicy policy =
          new InventoryPolicy(
              config.certificates().inventory().expiryWindowDays(),
              config.certificates().inventory().maxAge());
      AlertConditions conditions = Inventories.alertConditions(store, revocationView, policy);
      Optional<WebhookTarget> target = webhook(alertsConfig.webhook());
      CertificateAlerts alerts =
          new CertificateAlerts(store, conditions, clock, target.isPresent());
      Optional<WebhookDelivery> delivery =
          target.map(
              t ->
                  new WebhookDelivery(
                      store,
                      t,
                      new WebhookDelivery.Settings(
                          alertsConfig.webhook().maxAttempts(),
                          new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5), new Random()),
                          100),
                      clock));
      AlertMonitor monitor =
          new AlertMonitor(alerts, delivery, alertsConfig.evaluateInterval(), DELIVER_EVERY);
      monitor.start();
      started.add(monitor);
      // first: CertificatesApi's GET /{sha256} would otherwise answer /alerts
      routes.addAll(
          0,
          new CertificateOperationsApi(revocations, alerts, new CertificateUpload(inv, clock))
              .routes());
      log.info(
          "certificate alerts every {}, webhook {}",
          alertsConfig.evaluateInterval(),
          target.map(WebhookTarget::toString).orElse("none"));
      IssuanceListener issuance = new IssuanceRecorder(inv, store, ca);
      return new CertificateControlPlane(
          started, inventory, ca, revocations, alerts, routes, issuance);
    } catch (RuntimeException e) {
      close(started);
      throw e;
    }
  }

  /** The inventory and its collectors. */
  public CertificateInventoryRuntime inventory() {
    return inventory;
  }

  /** The CA this node runs, when {@code certificates.enrolment.enabled}. */
  public Optional<DevCertificateAuthority> ca() {
    return ca;
  }

  /** Revocation (each new one also on the certificate's timeline), when the node runs a CA. */
  public Optional<Revocations> revocations() {
    return revocations;
  }

  public CertificateAlerts alerts() {
    return alerts;
  }

  /** For gauges: open alerts per rule, acknowledged, the webhook outbox. Blocks on the store. */
  public AlertCounts alertCounts() {
    return alerts.counts();
  }

  /** Inventory, revocation ({@code /crl}, {@code /ocsp}) and certificate operations routes. */
  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** What EST needs from the control plane: revocation status and the issuance listener. */
  public Optional<EnrolmentHooks> enrolmentHooks() {
    return ca.map(a -> new EnrolmentHooks(a, revocationStatus(), List.of(issuance)));
  }

  /**
   * A certificate of our CA is revoked when its fingerprint or (for revocations by serial) its
   * serial is in {@code certificate_revocations}.
   */
  RevocationStatus revocationStatus() {
    return revocations
        .<RevocationStatus>map(
            r ->
                certificate ->
                    r.isRevoked(sha256(certificate))
                        || r.bySerial(certificate.getSerialNumber()).isPresent())
        .orElse(RevocationStatus.NONE_REVOKED);
  }

  @Override
  public void close() {
    close(started);
  }

  private static void close(List<AutoCloseable> started) {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("stopping {}: {}", started.get(i), e.toString());
      }
    }
    started.clear();
  }

  /**
   * The CA's certificates, a trust bundle of the node: recorded so that chains show their issuers
   * and the inventory lists what the node trusts.
   */
  private static void recordCa(CertificateInventory inv, DevCertificateAuthority ca, Clock clock) {
    try {
      String bundle = "enrolment-ca";
      inv.record(
          List.of(ca.issuingCertificate(), ca.rootCertificate()),
          Sighting.of(SourceKind.TRUST_BUNDLE, bundle, clock.instant()));
      for (X509Certificate c : List.of(ca.issuingCertificate(), ca.rootCertificate())) {
        inv.bind(sha256(c), BindingKind.TRUST_BUNDLE, bundle);
      }
    } catch (RuntimeException e) {
      log.warn("the CA's certificates were not recorded in the inventory: {}", e.toString());
    }
  }

  /** Revocation by fingerprint learns the certificate (and its serial) from the inventory. */
  static CertificateSource certificateSource(CertificateInventory inv) {
    return sha256 -> inv.detail(sha256).map(d -> parse(d.der()));
  }

  private static X509Certificate parse(byte[] der) {
    try {
      return (X509Certificate)
          CertificateFactory.getInstance("X.509")
              .generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException e) {
      throw new IllegalStateException("the inventory holds a DER that does not parse", e);
    }
  }

  static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 and X.509 encoding are part of every JDK", e);
    }
  }

  /** The webhook target of {@code certificates.alerts.webhook}, when a url is set. */
  static Optional<WebhookTarget> webhook(CertificateAlertsConfig.Webhook config) {
    if (config.optionalUrl().isEmpty()) {
      return Optional.empty();
    }
    byte[] secret = secret(config.secretFile());
    Optional<SSLContext> tls = config.optionalTrustFile().map(CertificateControlPlane::trust);
    try {
      return Optional.of(
          new WebhookTarget(
              config.optionalUrl().get(), secret, tls, config.timeout(), config.allowPlaintext()));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("certificates.alerts.webhook", e.getMessage());
    }
  }

  private static byte[] secret(Path file) {
    String key = "certificates.alerts.webhook.secret_file";
    try {
      String line =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream().findFirst().orElse("").strip();
      byte[] secret = line.getBytes(StandardCharsets.UTF_8);
      if (secret.length < 16) {
        throw new ConfigException(key, file + ": the secret must be at least 16 bytes");
      }
      return secret;
    } catch (IOException e) {
      throw new ConfigException(key, "cannot be read (" + file + "): " + e.getMessage());
    }
  }

  private static SSLContext trust(Path file) {
    String key = "certificates.alerts.webhook.trust_file";
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("anchor-" + i++, c);
      }
      if (i == 0) {
        throw new ConfigException(key, file + " holds no certificate");
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(key, "cannot be used (" + file + "): " + e.getMessage());
    }
  }

  /**
   * What EST needs from the control plane.
   *
   * @param ca the CA loaded once for both
   * @param revocation whether a re-enrolling certificate is revoked
   * @param listeners told about each issuance
   */
  public record EnrolmentHooks(
      DevCertificateAuthority ca, RevocationStatus revocation, List<IssuanceListener> listeners) {
    public EnrolmentHooks {
      listeners = List.copyOf(listeners);
    }
  }

  /**
   * Records each issued certificate in the inventory (source {@code issued}, with the CA's chain),
   * binds a first enrolment's certificate to its device through the inventory (the registry's
   * exclusive {@code devices.bound_certificate_sha256}), and writes an {@code issued} event on the
   * certificate's timeline. A re-enrolment's certificate is recorded but not bound: the binding
   * moves when the device confirms by connecting with it (the replacement workflow).
   */
  static final class IssuanceRecorder implements IssuanceListener {
    private final CertificateInventory inventory;
    private final StoreOptions store;
    private final Optional<DevCertificateAuthority> ca;

    IssuanceRecorder(
        CertificateInventory inventory, StoreOptions store, Optional<DevCertificateAuthority> ca) {
      this.inventory = inventory;
      this.store = store;
      this.ca = ca;
    }

    @Override
    public void issued(IssuanceRecord record) {
      List<X509Certificate> chain = new ArrayList<>();
      chain.add(parse(record.der()));
      ca.ifPresent(a -> chain.addAll(List.of(a.issuingCertificate(), a.rootCertificate())));
      String location =
          ca.map(a -> "ca:" + a.issuingCertificate().getSubjectX500Principal().getName())
              .orElse("ca");
      inventory.record(
          chain,
          new Sighting(
              SourceKind.ISSUED,
              location.length() <= 1024 ? location : location.substring(0, 1024),
              Optional.of(record.deviceId()),
              record.issuedAt(),
              Map.of("method", record.method().name().toLowerCase(java.util.Locale.ROOT))));
      Map<String, String> details = new LinkedHashMap<>();
      details.put("device_id", record.deviceId());
      details.put("method", record.method().name().toLowerCase(java.util.Locale.ROOT));
      details.put("serial", record.serialHex());
      details.put("not_after", record.notAfter().toString());
      record.previousSha256().ifPresent(p -> details.put("previous_sha256", p));
      if (record.previousSha256().isEmpty()) {
        BindOutcome bound = inventory.bind(record.sha256(), BindingKind.DEVICE, record.deviceId());
        details.put("binding", binding(bound));
        if (!(bound instanceof BindOutcome.Bound)) {
          log.warn(
              "certificate {} issued to {} not bound to the device: {}",
              record.sha256(),
              record.deviceId(),
              details.get("binding"));
        }
      } else {
        details.put("binding", "left_to_replacement");
      }
      try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
        CertificateEventLog.append(
            c,
            record.sha256(),
            record.issuedAt(),
            "issued",
            "issued to " + record.deviceId() + " (" + details.get("method") + ")",
            details);
      } catch (SQLException e) {
        log.warn("issuance of {} not written to the event log: {}", record.sha256(), e.toString());
      }
    }

    private static String binding(BindOutcome outcome) {
      if (outcome instanceof BindOutcome.Bound) {
        return "bound";
      }
      if (outcome instanceof BindOutcome.UnknownDevice) {
        return "device_not_registered";
      }
      if (outcome instanceof BindOutcome.BoundElsewhere elsewhere) {
        return "bound_elsewhere:" + elsewhere.otherDeviceId();
      }
      return "certificate_unknown";
    }
  }
}
