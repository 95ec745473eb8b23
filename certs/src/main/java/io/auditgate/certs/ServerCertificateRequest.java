package io.auditgate.certs;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * What a listener's (server) certificate names. It gets EKU serverAuth and one SAN per DNS name and
 * IP address; clients verify the host they dialled against those SANs, never the CN.
 *
 * @param commonName the subject CN, for people reading the certificate
 * @param dnsNames SAN DNS names (a leading {@code *.} wildcard label is allowed)
 * @param ipAddresses SAN IP addresses
 * @param validity the validity window
 * @param keyAlgorithm the type of the new key
 */
public record ServerCertificateRequest(
    String commonName,
    List<String> dnsNames,
    List<InetAddress> ipAddresses,
    Validity validity,
    KeyAlgorithm keyAlgorithm) {
  private static final Pattern DNS_NAME =
      Pattern.compile(
          "^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

  public ServerCertificateRequest {
    Objects.requireNonNull(commonName, "commonName");
    Objects.requireNonNull(validity, "validity");
    Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
    dnsNames = List.copyOf(dnsNames);
    ipAddresses = List.copyOf(ipAddresses);
    if (commonName.isBlank() || commonName.length() > 64) {
      throw new IllegalArgumentException(
          "commonName must be 1 to 64 characters, got '" + commonName + "'");
    }
    if (dnsNames.isEmpty() && ipAddresses.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs a DNS name or an IP address");
    }
    for (String name : dnsNames) {
      if (name.length() > 253 || !DNS_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a DNS name: '" + name + "'");
      }
    }
  }

  /**
   * A request for the given hosts, each a DNS name or an IP literal (no name is resolved), with an
   * ECDSA P-256 key; the CN is the first host.
   */
  public static ServerCertificateRequest forHosts(List<String> hosts, Validity validity) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs at least one host");
    }
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    for (String host : hosts) {
      if (IPAddress.isValid(host)) {
        ips.add(literal(host));
      } else {
        dns.add(host);
      }
    }
    return new ServerCertificateRequest(hosts.get(0), dns, ips, validity, KeyAlgorithm.EC_P256);
  }

  public ServerCertificateRequest withKeyAlgorithm(KeyAlgorithm algorithm) {
    return new ServerCertificateRequest(commonName, dnsNames, ipAddresses, validity, algorithm);
  }

  private static InetAddress literal(String ip) {
    try {
      // An IP literal is parsed, never looked up.
      return InetAddress.getByName(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: '" + ip + "'", e);
    }
  }
}
