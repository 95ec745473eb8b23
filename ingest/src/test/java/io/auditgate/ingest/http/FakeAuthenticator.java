package io.auditgate.ingest.http;

import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.DeviceIdentity;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The authenticator's contract with fixed credentials: bearer tokens by value, certificates by
 * subject CN (the real one also reads the SAN URI and checks revocation; not this listener's
 * concern).
 */
final class FakeAuthenticator implements DeviceAuthenticator {
  private final Map<String, String> devicesByToken;
  private final Map<String, String> devicesByCommonName;
  private final boolean anonymous;

  FakeAuthenticator(
      Map<String, String> devicesByToken,
      Map<String, String> devicesByCommonName,
      boolean anonymous) {
    this.devicesByToken = Map.copyOf(devicesByToken);
    this.devicesByCommonName = Map.copyOf(devicesByCommonName);
    this.anonymous = anonymous;
  }

  @Override
  public Optional<DeviceIdentity> fromCertificate(List<X509Certificate> chain) {
    X509Certificate leaf = chain.get(0);
    return commonName(leaf)
        .map(devicesByCommonName::get)
        .map(
            device ->
                new DeviceIdentity(
                    device, DeviceIdentity.Method.CLIENT_CERTIFICATE, Optional.of(sha256(leaf))));
  }

  @Override
  public Optional<DeviceIdentity> fromPassword(String username, byte[] password) {
    return Optional.empty();
  }

  @Override
  public Optional<DeviceIdentity> fromToken(String token) {
    return Optional.ofNullable(devicesByToken.get(token))
        .map(device -> new DeviceIdentity(device, DeviceIdentity.Method.TOKEN, Optional.empty()));
  }

  @Override
  public boolean allowsAnonymous() {
    return anonymous;
  }

  private static Optional<String> commonName(X509Certificate certificate) {
    try {
      LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
      for (Rdn rdn : name.getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return Optional.of(rdn.getValue().toString());
        }
      }
      return Optional.empty();
    } catch (InvalidNameException e) {
      return Optional.empty();
    }
  }

  static String sha256(X509Certificate certificate) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
