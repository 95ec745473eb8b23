package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A TLS listener's settings (for example section {@code mqtt.tls}). Files are PEM: the certificate
 * chain leaf first, the private key as PKCS#8 ({@code PRIVATE KEY} or {@code ENCRYPTED PRIVATE
 * KEY}).
 *
 * <p>The key's password is read from a file rather than written here, so that the configuration
 * (which {@code auditgate config show} prints and operators commit) never holds a secret.
 *
 * @param certificateChain PEM file with the listener's certificate, then its issuers; required
 * @param privateKey PEM file with the listener's PKCS#8 private key; required
 * @param privateKeyPasswordFile file whose first line is the password of an encrypted private key;
 *     null when the key is not encrypted
 * @param clientCaBundle PEM file with the CAs client certificates must chain to; required unless
 *     {@code client_auth} is {@code none}
 * @param clientAuth whether clients must present a certificate; default {@code require}
 * @param protocols TLS versions offered; default {@code [TLSv1.3, TLSv1.2]}; nothing older allowed
 * @param cipherSuites suites offered; default {@link #DEFAULT_CIPHER_SUITES}; only AEAD suites with
 *     ephemeral key exchange allowed
 */
public record TlsConfig(
    Path certificateChain,
    Path privateKey,
    Path privateKeyPasswordFile,
    Path clientCaBundle,
    ClientAuth clientAuth,
    List<String> protocols,
    List<String> cipherSuites) {

  /** Whether the listener asks for a client certificate. */
  public enum ClientAuth {
    /** Never asks; devices authenticate with credentials or not at all. */
    NONE,
    /** Asks; a client without one still connects, one with an untrusted one is refused. */
    OPTIONAL,
    /** Refuses clients that do not present a certificate chaining to {@code client_ca_bundle}. */
    REQUIRE
  }

  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * TLS 1.3's suites, then TLS 1.2's ECDHE + AEAD suites (Mozilla's "intermediate" list): forward
   * secrecy and authenticated encryption only, no CBC, no static RSA key exchange.
   */
  public static final List<String> DEFAULT_CIPHER_SUITES =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  private static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.3", "TLSv1.2");
  private static final Pattern TLS13_SUITE =
      Pattern.compile("^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$");
  private static final Pattern TLS12_AEAD_SUITE =
      Pattern.compile(
          "^TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_128_GCM_SHA256|AES_256_GCM_SHA384"
              + "|CHACHA20_POLY1305_SHA256)$");

  public TlsConfig {
    Check.that(certificateChain != null, "certificate_chain", "is required");
    Check.that(privateKey != null, "private_key", "is required");
    clientAuth = orDefault(clientAuth, ClientAuth.REQUIRE);
    Check.that(
        clientAuth == ClientAuth.NONE || clientCaBundle != null,
        "client_ca_bundle",
        "is required when client_auth is " + clientAuth.name().toLowerCase(Locale.ROOT));
    protocols = List.copyOf(orDefault(protocols, DEFAULT_PROTOCOLS));
    Check.that(!protocols.isEmpty(), "protocols", "must name TLSv1.3, TLSv1.2 or both");
    for (String protocol : protocols) {
      Check.that(
          ALLOWED_PROTOCOLS.contains(protocol),
          "protocols",
          "only TLSv1.3 and TLSv1.2 are allowed, got " + protocol);
    }
    cipherSuites = List.copyOf(orDefault(cipherSuites, DEFAULT_CIPHER_SUITES));
    for (String suite : cipherSuites) {
      Check.that(
          isAllowedCipherSuite(suite),
          "cipher_suites",
          "only AEAD suites with ephemeral key exchange (TLS 1.3 suites, TLS_ECDHE_*_GCM_*, "
              + "TLS_ECDHE_*_CHACHA20_POLY1305_*) are allowed, got "
              + suite);
    }
    boolean usable =
        (protocols.contains("TLSv1.3") && cipherSuites.stream().anyMatch(TlsConfig::isTls13Suite))
            || (protocols.contains("TLSv1.2")
                && cipherSuites.stream().anyMatch(s -> TLS12_AEAD_SUITE.matcher(s).matches()));
    Check.that(usable, "cipher_suites", "has no suite usable with protocols " + protocols);
  }

  /** Settings with every optional field at its default. */
  public static TlsConfig of(Path certificateChain, Path privateKey, Path clientCaBundle) {
    return new TlsConfig(certificateChain, privateKey, null, clientCaBundle, null, null, null);
  }

  /** The same settings with another client authentication mode. */
  public TlsConfig withClientAuth(ClientAuth mode) {
    return new TlsConfig(
        certificateChain,
        privateKey,
        privateKeyPasswordFile,
        clientCaBundle,
        mode,
        protocols,
        cipherSuites);
  }

  /** The same settings offering only the given protocols. */
  public TlsConfig withProtocols(List<String> offered) {
    return new TlsConfig(
        certificateChain,
        privateKey,
        privateKeyPasswordFile,
        clientCaBundle,
        clientAuth,
        offered,
        cipherSuites);
  }

  /** The same settings with the key's password read from {@code file}. */
  public TlsConfig withPrivateKeyPasswordFile(Path file) {
    return new TlsConfig(
        certificateChain, privateKey, file, clientCaBundle, clientAuth, protocols, cipherSuites);
  }

  /** {@link #privateKeyPasswordFile()}, if the key is encrypted. */
  public Optional<Path> optionalPrivateKeyPasswordFile() {
    return Optional.ofNullable(privateKeyPasswordFile);
  }

  /** {@link #clientCaBundle()}, if set. */
  public Optional<Path> optionalClientCaBundle() {
    return Optional.ofNullable(clientCaBundle);
  }

  /**
   * Whether a suite passes the policy: authenticated encryption (GCM or ChaCha20-Poly1305) and, for
   * TLS 1.2, ephemeral elliptic-curve Diffie-Hellman. The listener applies the same test to the
   * suites the JDK actually enables.
   */
  public static boolean isAllowedCipherSuite(String suite) {
    return isTls13Suite(suite) || TLS12_AEAD_SUITE.matcher(suite).matches();
  }

  private static boolean isTls13Suite(String suite) {
    return TLS13_SUITE.matcher(suite).matches();
  }
}
