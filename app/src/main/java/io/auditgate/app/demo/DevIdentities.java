package io.auditgate.app.demo;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The certificates a demo or benchmark run needs, issued by a development CA in {@code dir/ca}: the
 * gateway's server certificate (localhost, 127.0.0.1) in {@code dir/tls} and one client certificate
 * per board in {@code dir/devices}.
 */
public record DevIdentities(Path rootCa, PemFiles server, Path devices) {
  public static DevIdentities issue(Path dir, List<String> deviceIds, Clock clock) {
    return issue(dir, deviceIds, clock, Optional.empty());
  }

  /**
   * As {@link #issue(Path, List, Clock)}, with {@code expiringSoon}'s certificate issued 50 days
   * ago for 60 days: 10 days and a sixth of its lifetime left, so the inventory calls it expiring
   * soon (the demo shows one on the dashboard).
   */
  public static DevIdentities issue(
      Path dir, List<String> deviceIds, Clock clock, Optional<String> expiringSoon) {
    DevCertificateAuthority ca =
        DevCertificateAuthority.existsIn(dir.resolve("ca"))
            ? DevCertificateAuthority.load(dir.resolve("ca"), Optional.empty(), clock).orElseThrow()
            : DevCertificateAuthority.create(
                dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    PemFiles server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(30))
            .writePem(dir.resolve("tls"), "server");
    for (String id : deviceIds) {
      Validity validity =
          expiringSoon.equals(Optional.of(id))
              ? new Validity(Duration.ofDays(-50), Duration.ofDays(10))
              : Validity.days(30);
      ca.issueDevice(id, validity).writePem(dir.resolve("devices"), id);
    }
    return new DevIdentities(ca.rootCertificateFile(), server, dir.resolve("devices"));
  }
}
