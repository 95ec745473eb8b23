package io.auditgate.ingest.auth;

import io.auditgate.core.ingest.DeviceCertificateUri;
import io.auditgate.core.telemetry.Telemetry;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The device a certificate names: the SAN URI {@code urn:auditgate:device:<id>} when there is one,
 * else the subject CN. A certificate with a device URI is judged by it alone: falling back to the
 * CN when the URI is malformed would let a sloppy or hostile CA name two devices at once.
 */
final class CertificateDeviceId {
  private static final int SAN_URI = 6;

  private CertificateDeviceId() {}

  /** The device id, or why there is none. */
  sealed interface Result {}

  record Named(String deviceId) implements Result {}

  record Unnamed(RefusalReason reason) implements Result {}

  static Result of(X509Certificate certificate) {
    List<String> uris;
    try {
      uris = deviceUris(certificate);
    } catch (CertificateParsingException e) {
      return new Unnamed(RefusalReason.MALFORMED_CERTIFICATE);
    }
    if (!uris.isEmpty()) {
      Set<String> distinct = new TreeSet<>(uris);
      if (distinct.size() > 1) {
        return new Unnamed(RefusalReason.AMBIGUOUS_DEVICE_ID);
      }
      return DeviceCertificateUri.deviceId(distinct.iterator().next())
          .<Result>map(Named::new)
          .orElse(new Unnamed(RefusalReason.INVALID_DEVICE_ID));
    }
    List<String> commonNames;
    try {
      commonNames = commonNames(certificate.getSubjectX500Principal());
    } catch (InvalidNameException e) {
      return new Unnamed(RefusalReason.MALFORMED_CERTIFICATE);
    }
    if (commonNames.isEmpty()) {
      return new Unnamed(RefusalReason.NO_DEVICE_ID);
    }
    if (commonNames.size() > 1) {
      return new Unnamed(RefusalReason.AMBIGUOUS_DEVICE_ID);
    }
    String cn = commonNames.get(0);
    return Telemetry.isDeviceId(cn) ? new Named(cn) : new Unnamed(RefusalReason.INVALID_DEVICE_ID);
  }

  private static List<String> deviceUris(X509Certificate certificate)
      throws CertificateParsingException {
    List<String> uris = new ArrayList<>();
    var names = certificate.getSubjectAlternativeNames();
    if (names == null) {
      return uris;
    }
    for (List<?> name : names) {
      if (name.size() == 2
          && Integer.valueOf(SAN_URI).equals(name.get(0))
          && name.get(1) instanceof String uri
          && DeviceCertificateUri.isDeviceUri(uri)) {
        uris.add(uri);
      }
    }
    return uris;
  }

  private static List<String> commonNames(X500Principal subject) throws InvalidNameException {
    List<String> names = new ArrayList<>();
    for (Rdn rdn : new LdapName(subject.getName(X500Principal.RFC2253)).getRdns()) {
      if (rdn.getType().equalsIgnoreCase("CN")) {
        names.add(String.valueOf(rdn.getValue()));
      }
    }
    return names;
  }
}
