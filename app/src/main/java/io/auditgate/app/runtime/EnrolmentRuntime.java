package io.auditgate.app.runtime;

import io.auditgate.certs.CaLoadResult;
import io.auditgate.certs.CsrKeyType;
import io.auditgate.certs.CsrPolicy;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.RevocationPointers;
import io.auditgate.controlplane.enrolment.Enrolment;
import io.auditgate.controlplane.enrolment.IssuanceListener;
import io.auditgate.controlplane.enrolment.RevocationStatus;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.EnrolmentConfig;
import io.auditgate.core.config.RevocationConfig;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.store.StoreOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Wires device enrolment from section {@code certificates.enrolment}: loads the CA, builds the CSR
 * policy and the {@link Enrolment} service, and says how the web server's TLS must change for EST
 * re-enrolment (client certificates asked for optionally, trusted when they chain to the CA root).
 */
public final class EnrolmentRuntime {
  private EnrolmentRuntime() {}

  /** The CA the section names, loaded with its passphrase file if any. */
  public static DevCertificateAuthority loadCa(EnrolmentConfig config, Clock clock) {
    Optional<char[]> passphrase = Optional.empty();
    if (config.caPassphraseFile() != null) {
      passphrase = Optional.of(firstLine(config.caPassphraseFile()).toCharArray());
    }
    CaLoadResult loaded = DevCertificateAuthority.load(config.caDir(), passphrase, clock);
    if (loaded instanceof CaLoadResult.NotFound) {
      throw new ConfigException(
          "certificates.enrolment.ca_dir",
          "holds no CA ("
              + config.caDir()
              + "); create one with: auditgate certs init --ca-dir "
              + config.caDir());
    }
    if (loaded instanceof CaLoadResult.PassphraseRequired) {
      throw new ConfigException(
          "certificates.enrolment.ca_passphrase_file", "is required: the CA keys are encrypted");
    }
    if (loaded instanceof CaLoadResult.WrongPassphrase) {
      throw new ConfigException(
          "certificates.enrolment.ca_passphrase_file",
          "does not decrypt the CA keys in " + config.caDir());
    }
    return loaded.orElseThrow();
  }

  public static CsrPolicy policy(EnrolmentConfig config) {
    Set<CsrKeyType> keys = EnumSet.noneOf(CsrKeyType.class);
    for (String label : config.allowedKeys()) {
      keys.add(CsrKeyType.fromLabel(label).orElseThrow());
    }
    return new CsrPolicy(keys, config.minimumRsaBits(), config.deviceCertificateLifetime());
  }

  /**
   * The enrolment service over {@code store}.
   *
   * @param revocation the revocation slice's status (until it is wired: {@link
   *     RevocationStatus#NONE_REVOKED})
   * @param pointers the CRL and OCSP URLs written into issued certificates ({@link
   *     #revocationPointers})
   * @param listeners told about each issuance (inventory, fleet binding)
   */
  public static Enrolment enrolment(
      DevCertificateAuthority ca,
      EnrolmentConfig config,
      RevocationPointers pointers,
      StoreOptions store,
      RevocationStatus revocation,
      List<IssuanceListener> listeners,
      Clock clock) {
    return new Enrolment(
        store, ca.csrIssuer(policy(config), pointers), revocation, listeners, clock);
  }

  /**
   * The revocation pointers issued certificates carry: none unless {@code revocation.crl_url} is
   * set; then that URL as the CRL distribution point and {@code /ocsp} of the same origin as the
   * OCSP responder (the control plane serves both). {@code crl_url} is the address gateways fetch
   * the CRL from, so it is one relying parties can reach too.
   */
  public static RevocationPointers revocationPointers(RevocationConfig revocation) {
    return revocation.crlUrl() == null
        ? RevocationPointers.NONE
        : RevocationPointers.servedWith(URI.create(revocation.crlUrl()));
  }

  /**
   * The web server's TLS with EST: client certificates optional, trusted when they chain to the
   * device CA's root. A browser or API client without a certificate connects as before; one with an
   * untrusted certificate is refused at the handshake.
   */
  public static TlsConfig webTls(TlsConfig tls, DevCertificateAuthority ca) {
    return new TlsConfig(
        tls.certificateChain(),
        tls.privateKey(),
        tls.privateKeyPasswordFile(),
        ca.rootCertificateFile(),
        TlsConfig.ClientAuth.OPTIONAL,
        tls.protocols(),
        tls.cipherSuites());
  }

  private static String firstLine(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
          .findFirst()
          .orElseThrow(
              () ->
                  new ConfigException(
                      "certificates.enrolment.ca_passphrase_file", file + " is empty"));
    } catch (IOException e) {
      throw new ConfigException(
          "certificates.enrolment.ca_passphrase_file",
          "cannot be read (" + file + "): " + e.getMessage());
    }
  }
}
