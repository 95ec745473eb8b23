package io.auditgate.certs.x509;

import java.util.List;
import java.util.Objects;

/**
 * The subject alternative names of a certificate by kind, in certificate order. Kinds the inventory
 * does not use (directory names, other names) are left out.
 */
public record SubjectAltNames(
    List<String> dns, List<String> ipAddresses, List<String> uris, List<String> emails) {
  public static final SubjectAltNames NONE =
      new SubjectAltNames(List.of(), List.of(), List.of(), List.of());

  public SubjectAltNames {
    dns = List.copyOf(Objects.requireNonNull(dns, "dns"));
    ipAddresses = List.copyOf(Objects.requireNonNull(ipAddresses, "ipAddresses"));
    uris = List.copyOf(Objects.requireNonNull(uris, "uris"));
    emails = List.copyOf(Objects.requireNonNull(emails, "emails"));
  }

  public boolean isEmpty() {
    return dns.isEmpty() && ipAddresses.isEmpty() && uris.isEmpty() && emails.isEmpty();
  }
}
