package io.auditgate.core.config;

import static io.auditgate.core.config.Check.between;
import static io.auditgate.core.config.Check.orDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Section {@code certificates.revocation}: how the control plane publishes revocation (CRL, OCSP)
 * and how a gateway enforces it. Design notes: docs/certificates-revocation.md.
 *
 * @param crlUrl where the gateway fetches the issuing CA's CRL ({@code
 *     https://control-plane:9443/crl/issuing-ca.crl}); http or https (the CRL is signed, so http is
 *     safe for integrity). Unset: the gateway refuses no certificate as revoked (logged at start)
 * @param crlTrustFile PEM trust anchors for an https {@code crl_url}; default: {@code
 *     tls.client_ca_bundle}
 * @param dropSessionsWithin a revoked certificate's open sessions are closed within this time (the
 *     CRL is re-fetched and open sessions re-checked every half of it); default 30 s, 2 s to 60 s
 * @param crlValidity control plane: nextUpdate − thisUpdate of each CRL; re-signed at half of it;
 *     default 24 h, 1 min to 7 d
 * @param ocspValidity control plane: nextUpdate − thisUpdate of OCSP answers; default 1 h, 1 min to
 *     7 d
 */
public record RevocationConfig(
    String crlUrl,
    Path crlTrustFile,
    Duration dropSessionsWithin,
    Duration crlValidity,
    Duration ocspValidity) {
  public RevocationConfig {
    if (crlUrl != null) {
      URI uri;
      try {
        uri = URI.create(crlUrl);
      } catch (IllegalArgumentException e) {
        throw new ConfigException("crl_url", "is not a URL: " + e.getMessage());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      Check.that(
          (scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null,
          "crl_url",
          "must be an http or https URL with a host, got '" + crlUrl + "'");
    }
    dropSessionsWithin =
        between(
            "drop_sessions_within",
            orDefault(dropSessionsWithin, Duration.ofSeconds(30)),
            Duration.ofSeconds(2),
            Duration.ofSeconds(60));
    crlValidity =
        between(
            "crl_validity",
            orDefault(crlValidity, Duration.ofHours(24)),
            Duration.ofMinutes(1),
            Duration.ofDays(7));
    ocspValidity =
        between(
            "ocsp_validity",
            orDefault(ocspValidity, Duration.ofHours(1)),
            Duration.ofMinutes(1),
            Duration.ofDays(7));
  }

  public static RevocationConfig defaults() {
    return new RevocationConfig(null, null, null, null, null);
  }

  /** The same with {@code crl_url} set. */
  public RevocationConfig withCrlUrl(String url) {
    return new RevocationConfig(url, crlTrustFile, dropSessionsWithin, crlValidity, ocspValidity);
  }

  /** The same with {@code drop_sessions_within} set. */
  public RevocationConfig withDropSessionsWithin(Duration within) {
    return new RevocationConfig(crlUrl, crlTrustFile, within, crlValidity, ocspValidity);
  }

  public Optional<URI> optionalCrlUrl() {
    return Optional.ofNullable(crlUrl).map(URI::create);
  }

  public Optional<Path> optionalCrlTrustFile() {
    return Optional.ofNullable(crlTrustFile);
  }

  /** How often the CRL is re-fetched and open sessions re-checked: half the drop time. */
  public Duration checkEvery() {
    return dropSessionsWithin.dividedBy(2);
  }
}
