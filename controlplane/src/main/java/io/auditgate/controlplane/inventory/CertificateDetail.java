package io.auditgate.controlplane.inventory;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the inventory knows about one certificate.
 *
 * @param summary facts, status and first/last seen
 * @param dnsNames SAN DNS names
 * @param ipAddresses SAN IP addresses
 * @param uris SAN URIs
 * @param emails SAN e-mail addresses
 * @param keyCurve the EC curve, when EC
 * @param keyUsage key usage names
 * @param extendedKeyUsage EKU names or OIDs
 * @param pathLength a CA's path length constraint
 * @param selfSigned whether the certificate signs itself
 * @param der the certificate's DER encoding
 * @param chain the path to an anchor (leaf first) when trusted, else the chain as presented, as
 *     SHA-256 fingerprints
 * @param sightings where it was seen, most recent first
 * @param bindings what it is bound to
 * @param revocation its revocation, if revoked
 * @param renewal the renewal workflow now
 * @param renewalHistory every renewal transition, oldest first
 */
public record CertificateDetail(
    CertificateSummary summary,
    List<String> dnsNames,
    List<String> ipAddresses,
    List<String> uris,
    List<String> emails,
    Optional<String> keyCurve,
    List<String> keyUsage,
    List<String> extendedKeyUsage,
    Optional<Integer> pathLength,
    boolean selfSigned,
    byte[] der,
    List<String> chain,
    List<SightingView> sightings,
    List<Binding> bindings,
    Optional<Revocation> revocation,
    RenewalView renewal,
    List<RenewalChange> renewalHistory) {
  public CertificateDetail {
    Objects.requireNonNull(summary, "summary");
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    uris = List.copyOf(uris);
    emails = List.copyOf(emails);
    Objects.requireNonNull(keyCurve, "keyCurve");
    keyUsage = List.copyOf(keyUsage);
    extendedKeyUsage = List.copyOf(extendedKeyUsage);
    Objects.requireNonNull(pathLength, "pathLength");
    der = Objects.requireNonNull(der, "der").clone();
    chain = List.copyOf(chain);
    sightings = List.copyOf(sightings);
    bindings = List.copyOf(bindings);
    Objects.requireNonNull(revocation, "revocation");
    Objects.requireNonNull(renewal, "renewal");
    renewalHistory = List.copyOf(renewalHistory);
  }

  @Override
  public byte[] der() {
    return der.clone();
  }
}
