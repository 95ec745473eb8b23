package io.auditgate.ingest.mqtt;

import io.auditgate.core.ingest.DeviceAuthenticator;
import io.auditgate.core.ingest.DeviceIdentity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * A hand-written {@link DeviceAuthenticator}: usernames are device ids with fixed passwords, and a
 * client certificate names its device by its subject CN, if the CN is a known device.
 */
final class FixedAuthenticator implements DeviceAuthenticator {
  private final Map<String, String> passwords;
  private final boolean anonymous;

  FixedAuthenticator(Map<String, String> passwords, boolean anonymous) {
    this.passwords = Map.copyOf(passwords);
    this.anonymous = anonymous;
  }

  /** device-1 … device-9, each with password secret-N. */
  static FixedAuthenticator devices() {
    Map<String, String> passwords = new HashMap<>();
    for (int i = 1; i <= 9; i++) {
      passwords.put("device-" + i, "secret-" + i);
    }
    return new FixedAuthenticator(passwords, false);
  }

  @Override
  public Optional<DeviceIdentity> fromCertificate(List<X509Certificate> chain) {
    String cn = commonName(chain.get(0));
    if (!passwords.containsKey(cn)) {
      return Optional.empty();
    }
    return Optional.of(
        new DeviceIdentity(
            cn, DeviceIdentity.Method.CLIENT_CERTIFICATE, Optional.of(sha256(chain.get(0)))));
  }

  @Override
  public Optional<DeviceIdentity> fromPassword(String username, byte[] password) {
    String expected = passwords.get(username);
    if (expected == null || !expected.equals(new String(password, StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    return Optional.of(
        new DeviceIdentity(username, DeviceIdentity.Method.PASSWORD, Optional.empty()));
  }

  @Override
  public Optional<DeviceIdentity> fromToken(String token) {
    return Optional.empty();
  }

  @Override
  public boolean allowsAnonymous() {
    return anonymous;
  }

  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("CN")) {
          return rdn.getValue().toString();
        }
      }
      return "";
    } catch (InvalidNameException e) {
      return "";
    }
  }

  private static String sha256(X509Certificate certificate) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }
}
