package io.auditgate.bench.certs;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.CsrIssuance;
import io.auditgate.certs.CsrIssuer;
import io.auditgate.certs.CsrPolicy;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.KeyAlgorithm;
import io.auditgate.core.ingest.DeviceCertificateUri;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Certificate issuance from CSRs: auditgate's {@link CsrIssuer} next to {@code openssl ca} issuing
 * the same certificates (same CSRs, same CA certificate and key, same extensions, each certificate
 * written to a file) in the same run, for one key algorithm.
 *
 * <p>openssl gets its best case: one {@code openssl ca -batch -infiles …} process for the whole
 * batch, so its start-up is paid once, not per certificate. Both sides run on one thread (openssl
 * ca is single-threaded). Each side's best of the rounds is reported (the rounds interleave, so a
 * noisy moment hurts one round of one side, not a side).
 */
public final class IssuanceBenchmark {
  private IssuanceBenchmark() {}

  /** One side's figures. */
  public record Side(String name, int certificates, double bestSeconds) {
    public double perSecond() {
      return certificates / bestSeconds;
    }
  }

  /** Both sides for one algorithm; {@code ratio} is auditgate's rate over openssl's. */
  public record Result(KeyAlgorithm algorithm, Side auditgate, Side openssl) {
    public double ratio() {
      return auditgate.perSecond() / openssl.perSecond();
    }
  }

  /**
   * Issues {@code count} certificates per round and side, {@code rounds} rounds.
   *
   * @param dir an empty scratch directory (CA, CSRs, issued certificates)
   * @throws IllegalStateException when openssl is missing or fails, with its output
   */
  public static Result run(
      KeyAlgorithm algorithm, int count, int rounds, Path dir, PrintStream progress)
      throws IOException, InterruptedException {
    if (count < 1 || rounds < 1) {
      throw new IllegalArgumentException("count and rounds must be >= 1");
    }
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"),
            CaOptions.defaults().withKeyAlgorithm(algorithm),
            Optional.empty(),
            Clock.systemUTC());
    CsrIssuer issuer = ca.csrIssuer(CsrPolicy.defaults());
    progress.printf("  %s: %,d key pairs and CSRs (not timed)%n", algorithm, count);
    List<Csr> csrs = csrs(algorithm, count, dir.resolve("csr"));
    OpensslCa openssl = new OpensslCa(dir.resolve("openssl"), ca, algorithm);

    // One untimed round each: the JIT compiles our side's hot paths (measured: 200 issues left
    // the first timed rounds 20 % slow), and openssl's files and the CSRs are in the page cache.
    issueAll(issuer, csrs, dir.resolve("warmup"));
    openssl.issue(csrs, dir.resolve("warmup-openssl"));

    double ours = Double.MAX_VALUE;
    double theirs = Double.MAX_VALUE;
    for (int round = 1; round <= rounds; round++) {
      Path out = dir.resolve("round-" + round);
      boolean oursFirst = round % 2 == 1;
      for (int side = 0; side < 2; side++) {
        boolean isOurs = (side == 0) == oursFirst;
        long t0 = System.nanoTime();
        if (isOurs) {
          issueAll(issuer, csrs, out.resolve("auditgate"));
        } else {
          openssl.issue(csrs, out.resolve("openssl"));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (isOurs) {
          ours = Math.min(ours, seconds);
        } else {
          theirs = Math.min(theirs, seconds);
        }
        progress.printf(
            "  %s round %d: %-9s %,8.0f certificates/s%n",
            algorithm, round, isOurs ? "auditgate" : "openssl", count / seconds);
      }
    }
    checkSame(dir.resolve("round-1"), count);
    return new Result(
        algorithm, new Side("auditgate", count, ours), new Side("openssl ca", count, theirs));
  }

  record Csr(String deviceId, byte[] der, Path pem) {}

  private static List<Csr> csrs(KeyAlgorithm algorithm, int count, Path dir) throws IOException {
    Files.createDirectories(dir);
    try {
      SecureRandom random = new SecureRandom();
      List<Csr> csrs = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        String id = String.format("bench-device-%06d", i);
        KeyPair keys = algorithm.generate(random);
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(
                new GeneralName(
                    GeneralName.uniformResourceIdentifier, DeviceCertificateUri.of(id))));
        byte[] der =
            new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + id), keys.getPublic())
                .addAttribute(
                    PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(
                    new JcaContentSignerBuilder(
                            KeyAlgorithm.signatureAlgorithmFor(keys.getPrivate()))
                        .build(keys.getPrivate()))
                .getEncoded();
        Path pem = dir.resolve(id + ".csr");
        Files.writeString(
            pem,
            "-----BEGIN CERTIFICATE REQUEST-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n",
            StandardCharsets.US_ASCII);
        csrs.add(new Csr(id, der, pem));
      }
      return csrs;
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot build the benchmark's CSRs", e);
    }
  }

  /** Issues every CSR and writes each certificate (PEM) to {@code out}, as openssl ca does. */
  private static void issueAll(CsrIssuer issuer, List<Csr> csrs, Path out) throws IOException {
    Files.createDirectories(out);
    Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    for (Csr csr : csrs) {
      CsrIssuance issued = issuer.issue(csr.der(), csr.deviceId());
      if (!(issued instanceof CsrIssuance.Issued ok)) {
        throw new IllegalStateException("auditgate refused a benchmark CSR: " + issued);
      }
      try {
        Files.writeString(
            out.resolve(csr.deviceId() + ".pem"),
            "-----BEGIN CERTIFICATE-----\n"
                + base64.encodeToString(ok.chain().get(0).getEncoded())
                + "\n-----END CERTIFICATE-----\n",
            StandardCharsets.US_ASCII);
      } catch (java.security.cert.CertificateEncodingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Both sides issued {@code count} parseable certificates naming the device in a SAN URI. */
  private static void checkSame(Path round, int count) throws IOException {
    checkIssued(round.resolve("auditgate"), count);
    checkIssued(round.resolve("openssl").resolve("issued"), count);
  }

  private static void checkIssued(Path dir, int count) throws IOException {
    List<Path> files;
    try (var stream = Files.list(dir)) {
      files = stream.filter(p -> p.toString().endsWith(".pem")).sorted().toList();
    }
    if (files.size() != count) {
      throw new IllegalStateException(
          dir + " holds " + files.size() + " certificates, not " + count);
    }
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      Collection<? extends java.security.cert.Certificate> parsed =
          factory.generateCertificates(new ByteArrayInputStream(Files.readAllBytes(files.get(0))));
      X509Certificate first = (X509Certificate) parsed.iterator().next();
      if (first.getSubjectAlternativeNames() == null
          || first.getExtendedKeyUsage() == null
          || !first.getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.2")) {
        throw new IllegalStateException(files.get(0) + " lacks the SAN or clientAuth EKU");
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(files.get(0) + " is not a certificate", e);
    }
  }

  /** {@code openssl ca} set up over the same CA certificate and key. */
  static final class OpensslCa {
    private final Path dir;
    private final Path config;
    private final Path caCertificate;
    private final Path caKey;

    OpensslCa(Path dir, DevCertificateAuthority ca, KeyAlgorithm algorithm) throws IOException {
      this.dir = dir;
      Files.createDirectories(dir);
      this.caCertificate = ca.directory().resolve(DevCertificateAuthority.ISSUING_CERTIFICATE);
      this.caKey = ca.directory().resolve(DevCertificateAuthority.ISSUING_KEY);
      this.config = dir.resolve("ca.cnf");
      String keyUsage =
          algorithm.isRsa() ? "digitalSignature, keyEncipherment" : "digitalSignature";
      Files.writeString(
          config,
          String.join(
              "\n",
              "[ ca ]",
              "default_ca = bench",
              "[ bench ]",
              "database = $ENV::AG_DB",
              "new_certs_dir = $ENV::AG_OUT",
              "certificate = " + caCertificate,
              "private_key = " + caKey,
              "rand_serial = yes",
              "default_md = sha256",
              "default_days = 365",
              "policy = anything",
              "copy_extensions = copy",
              "unique_subject = no",
              "x509_extensions = device",
              "[ anything ]",
              "commonName = supplied",
              "[ device ]",
              "basicConstraints = critical, CA:FALSE",
              "keyUsage = critical, " + keyUsage,
              "extendedKeyUsage = clientAuth",
              "subjectKeyIdentifier = hash",
              "authorityKeyIdentifier = keyid",
              ""),
          StandardCharsets.US_ASCII);
    }

    /** One {@code openssl ca} process issuing every CSR into {@code out/issued}. */
    void issue(List<Csr> csrs, Path out) throws IOException, InterruptedException {
      Path issued = out.resolve("issued");
      Files.createDirectories(issued);
      Path database = out.resolve("index.txt");
      Files.writeString(database, "");
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              "openssl",
              "ca",
              "-batch",
              "-notext",
              "-config",
              config.toString(),
              "-out",
              out.resolve("all.pem").toString(),
              "-infiles"));
      csrs.forEach(c -> command.add(c.pem().toString()));
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectErrorStream(true).directory(dir.toFile());
      builder.environment().put("AG_DB", database.toString());
      builder.environment().put("AG_OUT", issued.toString());
      Process process;
      try {
        process = builder.start();
      } catch (IOException e) {
        throw new IllegalStateException(
            "openssl is needed for this benchmark: " + e.getMessage(), e);
      }
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl ca failed: " + new String(output, StandardCharsets.UTF_8).strip());
      }
    }
  }
}
