package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.core.config.TlsConfig.ClientAuth;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TlsConfigTest {
  private static final Path CHAIN = Path.of("server.crt");
  private static final Path KEY = Path.of("server.key");
  private static final Path CAS = Path.of("root-ca.crt");

  @Test
  void defaultsAreMutualTlsWithModernProtocolsAndAeadSuites() {
    TlsConfig config = TlsConfig.of(CHAIN, KEY, CAS);

    assertThat(config.clientAuth()).isEqualTo(ClientAuth.REQUIRE);
    assertThat(config.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    assertThat(config.cipherSuites()).isEqualTo(TlsConfig.DEFAULT_CIPHER_SUITES);
    assertThat(config.cipherSuites()).allMatch(TlsConfig::isAllowedCipherSuite);
    assertThat(config.optionalPrivateKeyPasswordFile()).isEmpty();
  }

  @Test
  void certificateAndKeyAreRequired() {
    assertThat(problem(() -> new TlsConfig(null, KEY, null, CAS, null, null, null)).key())
        .isEqualTo("certificate_chain");
    assertThat(problem(() -> new TlsConfig(CHAIN, null, null, CAS, null, null, null)).key())
        .isEqualTo("private_key");
  }

  @Test
  void clientCertificatesNeedTrustedCas() {
    ConfigException e = problem(() -> TlsConfig.of(CHAIN, KEY, null));

    assertThat(e.key()).isEqualTo("client_ca_bundle");
    assertThat(e.problem()).contains("require");
    assertThat(
            problem(() -> new TlsConfig(CHAIN, KEY, null, null, ClientAuth.OPTIONAL, null, null))
                .problem())
        .contains("optional");
    assertThat(new TlsConfig(CHAIN, KEY, null, null, ClientAuth.NONE, null, null).clientCaBundle())
        .isNull();
  }

  @Test
  void protocolsOlderThanTls12AreRefused() {
    ConfigException e =
        problem(() -> TlsConfig.of(CHAIN, KEY, CAS).withProtocols(List.of("TLSv1.2", "TLSv1.1")));

    assertThat(e.key()).isEqualTo("protocols");
    assertThat(e.problem()).contains("TLSv1.1");
    assertThat(problem(() -> TlsConfig.of(CHAIN, KEY, CAS).withProtocols(List.of())).key())
        .isEqualTo("protocols");
    assertThat(TlsConfig.of(CHAIN, KEY, CAS).withProtocols(List.of("TLSv1.3")).protocols())
        .containsExactly("TLSv1.3");
  }

  @Test
  void onlyAeadSuitesWithEphemeralKeyExchangeAreAllowed() {
    assertThat(TlsConfig.isAllowedCipherSuite("TLS_AES_256_GCM_SHA384")).isTrue();
    assertThat(TlsConfig.isAllowedCipherSuite("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")).isTrue();
    assertThat(TlsConfig.isAllowedCipherSuite("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256")).isFalse();
    assertThat(TlsConfig.isAllowedCipherSuite("TLS_RSA_WITH_AES_128_GCM_SHA256"))
        .as("static RSA key exchange has no forward secrecy")
        .isFalse();
    assertThat(TlsConfig.isAllowedCipherSuite("TLS_ECDHE_ECDSA_WITH_NULL_SHA")).isFalse();

    ConfigException e =
        problem(
            () ->
                new TlsConfig(
                    CHAIN,
                    KEY,
                    null,
                    CAS,
                    null,
                    null,
                    List.of("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")));
    assertThat(e.key()).isEqualTo("cipher_suites");
    assertThat(e.problem()).contains("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  }

  @Test
  void suitesMustFitTheProtocols() {
    ConfigException e =
        problem(
            () ->
                new TlsConfig(
                    CHAIN,
                    KEY,
                    null,
                    CAS,
                    null,
                    List.of("TLSv1.2"),
                    List.of("TLS_AES_128_GCM_SHA256")));

    assertThat(e.key()).isEqualTo("cipher_suites");
  }

  @Test
  void theKeyPasswordComesFromAFile() {
    TlsConfig config =
        TlsConfig.of(CHAIN, KEY, CAS).withPrivateKeyPasswordFile(Path.of("key.password"));

    assertThat(config.optionalPrivateKeyPasswordFile()).contains(Path.of("key.password"));
  }

  private static ConfigException problem(Runnable build) {
    return catchThrowableOfType(ConfigException.class, build::run);
  }
}
