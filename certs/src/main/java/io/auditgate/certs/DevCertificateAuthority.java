package io.auditgate.certs;

import io.auditgate.certs.internal.AtomicFiles;
import io.auditgate.certs.internal.CertificateIssuer;
import io.auditgate.certs.internal.Pem;
import io.auditgate.core.ingest.DeviceCertificateUri;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * The built-in two-level CA (root → issuing CA → leaves) kept in one directory. It issues listener
 * (server) certificates and device (client) certificates, either with a key it generates (demos,
 * tests, the simulator) or, through {@link #csrIssuer}, for a device's own key from a PKCS#10 CSR
 * (enrolment). The name is historical: it is the CA the control plane runs.
 *
 * <p>Directory layout, all PEM: {@code root-ca.crt} (the trust anchor to hand to listeners and
 * clients), {@code root-ca.key}, {@code issuing-ca.crt}, {@code issuing-ca.key}. Keys are PKCS#8,
 * mode 0600, and encrypted (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) when a passphrase is given.
 * Both keys live side by side because this is a development CA; a production root stays offline.
 *
 * <p>Thread-safety: immutable after creation; issuing is safe from any thread. Every time comes
 * from the injected {@link Clock}.
 */
public final class DevCertificateAuthority {
  public static final String ROOT_CERTIFICATE = "root-ca.crt";
  public static final String ROOT_KEY = "root-ca.key";
  public static final String ISSUING_CERTIFICATE = "issuing-ca.crt";
  public static final String ISSUING_KEY = "issuing-ca.key";

  private final Path dir;
  private final X509Certificate root;
  private final X509Certificate issuing;
  private final PrivateKey issuingKey;
  private final Clock clock;
  private final SecureRandom random;
  private final CertificateIssuer issuer;

  private DevCertificateAuthority(
      Path dir,
      X509Certificate root,
      X509Certificate issuing,
      PrivateKey issuingKey,
      Clock clock,
      SecureRandom random) {
    this.dir = dir;
    this.root = root;
    this.issuing = issuing;
    this.issuingKey = issuingKey;
    this.clock = clock;
    this.random = random;
    this.issuer = new CertificateIssuer(random);
  }

  /** Whether {@code dir} already holds a CA (its root certificate). */
  public static boolean existsIn(Path dir) {
    return Files.exists(dir.resolve(ROOT_CERTIFICATE));
  }

  /**
   * Creates a root and an issuing CA in {@code dir} (created if missing).
   *
   * @param passphrase encrypts both CA keys when present
   * @throws CertsException if {@code dir} already holds a CA (it is never overwritten) or cannot be
   *     written
   */
  public static DevCertificateAuthority create(
      Path dir, CaOptions options, Optional<char[]> passphrase, Clock clock) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(passphrase, "passphrase");
    if (existsIn(dir)) {
      throw new CertsException(
          "a development CA already exists in " + dir + "; load it instead of overwriting it");
    }
    SecureRandom random = new SecureRandom();
    CertificateIssuer issuer = new CertificateIssuer(random);
    Instant now = clock.instant();
    Validity rootValidity = Validity.of(options.rootValidity());
    Validity issuingValidity = Validity.of(options.issuingValidity());

    KeyPair rootKeys = options.keyAlgorithm().generate(random);
    X509Certificate root =
        issuer.selfSignedRoot(
            CertificateIssuer.name(options.organization() + " Root CA", options.organization()),
            rootKeys.getPublic(),
            rootKeys.getPrivate(),
            rootValidity.notBefore(now),
            rootValidity.notAfter(now));
    KeyPair issuingKeys = options.keyAlgorithm().generate(random);
    X500Name issuingName =
        CertificateIssuer.name(options.organization() + " Issuing CA", options.organization());
    X509Certificate issuing =
        issuer.issuingCa(
            root,
            rootKeys.getPrivate(),
            issuingName,
            issuingKeys.getPublic(),
            issuingValidity.notBefore(now),
            issuingValidity.notAfter(now));

    // Keys first and the root certificate last: existsIn() sees a CA only once it is complete.
    writeKey(dir.resolve(ROOT_KEY), rootKeys.getPrivate(), passphrase, random);
    writeKey(dir.resolve(ISSUING_KEY), issuingKeys.getPrivate(), passphrase, random);
    writeCertificate(dir.resolve(ISSUING_CERTIFICATE), issuing);
    writeCertificate(dir.resolve(ROOT_CERTIFICATE), root);
    return new DevCertificateAuthority(dir, root, issuing, issuingKeys.getPrivate(), clock, random);
  }

  /**
   * Loads the CA in {@code dir}: both certificates, the issuing key (decrypted with {@code
   * passphrase} if it is encrypted) and the root key (to prove the passphrase opens both), checking
   * that each key belongs to its certificate and that the root signed the issuing CA.
   *
   * @throws CertsException if the files are incomplete, unreadable or do not belong together
   */
  public static CaLoadResult load(Path dir, Optional<char[]> passphrase, Clock clock) {
    Objects.requireNonNull(passphrase, "passphrase");
    if (!existsIn(dir)) {
      return new CaLoadResult.NotFound(dir);
    }
    X509Certificate root = Pem.readCertificates(dir.resolve(ROOT_CERTIFICATE)).get(0);
    X509Certificate issuing = Pem.readCertificates(dir.resolve(ISSUING_CERTIFICATE)).get(0);
    PrivateKey[] keys = new PrivateKey[2];
    Path[] keyFiles = {dir.resolve(ROOT_KEY), dir.resolve(ISSUING_KEY)};
    for (int i = 0; i < keyFiles.length; i++) {
      Pem.KeyRead read = Pem.readPrivateKey(keyFiles[i], passphrase);
      if (read instanceof Pem.KeyRead.PassphraseRequired) {
        return new CaLoadResult.PassphraseRequired(keyFiles[i]);
      }
      if (read instanceof Pem.KeyRead.WrongPassphrase) {
        return new CaLoadResult.WrongPassphrase(keyFiles[i]);
      }
      keys[i] = ((Pem.KeyRead.Key) read).key();
    }
    checkKeyMatches(keys[0], root.getPublicKey(), keyFiles[0]);
    checkKeyMatches(keys[1], issuing.getPublicKey(), keyFiles[1]);
    try {
      issuing.verify(root.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertsException(
          dir.resolve(ISSUING_CERTIFICATE) + " was not signed by " + dir.resolve(ROOT_CERTIFICATE),
          e);
    }
    return new CaLoadResult.Loaded(
        new DevCertificateAuthority(dir, root, issuing, keys[1], clock, new SecureRandom()));
  }

  /** The directory the CA lives in. */
  public Path directory() {
    return dir;
  }

  /** The root certificate: the trust anchor for listeners (client CA bundle) and clients. */
  public X509Certificate rootCertificate() {
    return root;
  }

  /** {@code <dir>/root-ca.crt}, the PEM trust anchor. */
  public Path rootCertificateFile() {
    return dir.resolve(ROOT_CERTIFICATE);
  }

  /** The intermediate that signs every leaf. */
  public X509Certificate issuingCertificate() {
    return issuing;
  }

  /** A server certificate with a new key, for the given DNS names and IP literals. */
  public IssuedCertificate issueServer(List<String> hosts, Validity validity) {
    return issueServer(ServerCertificateRequest.forHosts(hosts, validity));
  }

  /** A server certificate with a new key: EKU serverAuth, SANs as requested. */
  public IssuedCertificate issueServer(ServerCertificateRequest request) {
    KeyPair keys = request.keyAlgorithm().generate(random);
    Instant now = clock.instant();
    X509Certificate certificate =
        issuer.server(
            issuing,
            issuingKey,
            request.commonName(),
            request.dnsNames(),
            request.ipAddresses(),
            keys.getPublic(),
            request.validity().notBefore(now),
            request.validity().notAfter(now));
    return new IssuedCertificate(List.of(certificate, issuing), keys.getPrivate());
  }

  /**
   * The issuing CA as the signer of CRLs and OCSP responses for the certificates it issued. The
   * issuing key stays inside: callers get signatures, never the key.
   */
  public RevocationAuthority revocationAuthority() {
    return RevocationAuthority.of(issuing, issuingKey);
  }

  /** A device certificate with a new ECDSA P-256 key. */
  public IssuedCertificate issueDevice(String deviceId, Validity validity) {
    return issueDevice(DeviceCertificateRequest.of(deviceId, validity));
  }

  /**
   * A device certificate with a new key: CN = device id, SAN URI {@code urn:auditgate:device:<id>},
   * EKU clientAuth.
   */
  public IssuedCertificate issueDevice(DeviceCertificateRequest request) {
    KeyPair keys = request.keyAlgorithm().generate(random);
    Instant now = clock.instant();
    X509Certificate certificate =
        issuer.device(
            issuing,
            issuingKey,
            request.deviceId(),
            DeviceCertificateUri.of(request.deviceId()),
            keys.getPublic(),
            request.validity().notBefore(now),
            request.validity().notAfter(now));
    return new IssuedCertificate(List.of(certificate, issuing), keys.getPrivate());
  }

  /**
   * An issuer of device certificates from CSRs, signing with this CA's issuing key.
   *
   * @param policy what a CSR must satisfy and how long its certificate lives
   */
  public CsrIssuer csrIssuer(CsrPolicy policy) {
    return csrIssuer(policy, RevocationPointers.NONE);
  }

  /**
   * The same, writing {@code pointers} (CRL distribution point, OCSP responder) into what it
   * issues.
   */
  public CsrIssuer csrIssuer(CsrPolicy policy, RevocationPointers pointers) {
    return new CsrIssuer(this, policy, pointers);
  }

  /** A device certificate for a key the CA has not seen the private half of (a checked CSR's). */
  X509Certificate signDevice(
      String deviceId, PublicKey publicKey, Validity validity, RevocationPointers pointers) {
    Instant now = clock.instant();
    return issuer.device(
        issuing,
        issuingKey,
        deviceId,
        DeviceCertificateUri.of(deviceId),
        publicKey,
        validity.notBefore(now),
        validity.notAfter(now),
        pointers);
  }

  private static void writeKey(
      Path file, PrivateKey key, Optional<char[]> passphrase, SecureRandom random) {
    AtomicFiles.write(
        file, Pem.privateKey(key, passphrase, random).getBytes(StandardCharsets.US_ASCII), true);
  }

  private static void writeCertificate(Path file, X509Certificate certificate) {
    AtomicFiles.write(
        file, Pem.certificates(List.of(certificate)).getBytes(StandardCharsets.US_ASCII), false);
  }

  /** A key that does not sign for its certificate means the files were mixed up. */
  private static void checkKeyMatches(PrivateKey key, PublicKey publicKey, Path keyFile) {
    try {
      byte[] probe = "auditgate key check".getBytes(StandardCharsets.US_ASCII);
      String algorithm = KeyAlgorithm.signatureAlgorithmFor(key);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new CertsException(keyFile + " does not belong to its certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new CertsException(keyFile + " does not belong to its certificate", e);
    }
  }
}
