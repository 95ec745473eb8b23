package io.auditgate.app.demo;

import io.auditgate.app.runtime.CertificateControlPlane;
import io.auditgate.app.runtime.Node;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.PostureSummary;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The demo's certificate staging: the first board's certificate expires in 10 days (issued so by
 * {@link DevIdentities}), the second board's is revoked as compromised before the boards connect
 * (the demo's gateway fetches no CRL, so the board keeps publishing and the inventory sees a
 * revoked certificate still connecting), and at the end the posture the dashboard shows.
 */
final class DemoCertificates {
  private DemoCertificates() {}

  static Optional<String> expiring(List<String> deviceIds) {
    return deviceIds.stream().findFirst();
  }

  static Optional<String> revoked(List<String> deviceIds) {
    return deviceIds.size() > 1 ? Optional.of(deviceIds.get(1)) : Optional.empty();
  }

  /** Revokes {@code deviceId}'s certificate (from {@code devices/<id>.crt}); what happened. */
  static String revoke(Node node, Path devices, String deviceId) {
    return node.certificateControlPlane()
        .flatMap(CertificateControlPlane::revocations)
        .map(
            revocations -> {
              RevokeOutcome outcome =
                  revocations.revoke(
                      new RevokeRequest(
                          new RevocationTarget.Certificate(
                              leaf(devices.resolve(deviceId + ".crt"))),
                          "keyCompromise",
                          "demo",
                          Optional.of("staged by ./auditgate demo")));
              return deviceId + "'s certificate: " + outcome.getClass().getSimpleName();
            })
        .orElse("no revocation on this node");
  }

  /**
   * The inventory's posture once both staged certificates are in it (the listener sightings are
   * collected every few seconds), waiting at most {@code patience}.
   */
  static Optional<PostureSummary> posture(Node node, boolean withRevoked, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    Optional<PostureSummary> last = Optional.empty();
    while (true) {
      last = node.certificates().map(c -> c.inventory().posture());
      boolean complete =
          last.map(
                  p ->
                      p.byStatus().getOrDefault(CertificateStatus.EXPIRING_SOON, 0L) > 0
                          && (!withRevoked
                              || p.byStatus().getOrDefault(CertificateStatus.REVOKED, 0L) > 0))
              .orElse(true);
      if (complete || System.nanoTime() > deadline) {
        return last;
      }
      Thread.sleep(500);
    }
  }

  /** {@code 4 certificates: 2 active, 1 expiring soon, 1 revoked; 1 revoked still connecting}. */
  static String describe(PostureSummary p) {
    String statuses =
        p.byStatus().entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(
                e ->
                    e.getValue()
                        + " "
                        + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
            .collect(Collectors.joining(", "));
    return p.total()
        + " certificates: "
        + statuses
        + "; "
        + p.revokedStillConnecting()
        + " revoked still connecting";
  }

  private static X509Certificate leaf(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the demo certificate " + file, e);
    }
  }
}
