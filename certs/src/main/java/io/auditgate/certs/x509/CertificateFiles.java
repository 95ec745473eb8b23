package io.auditgate.certs.x509;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;

/**
 * Reads certificates out of one file: PEM (any number of certificates; other PEM objects such as
 * keys are skipped), a single DER certificate, a PKCS#12 keystore or a JKS keystore (with a
 * password). The format is recognised from the content, never from the file name. A file is read
 * whole or refused whole: one bad PEM block refuses the file.
 *
 * <p>Stateless; thread-safe; blocks on file I/O.
 */
public final class CertificateFiles {
  /** Files larger than this are refused: no certificate bundle is that big. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private static final byte[] JKS_MAGIC = {(byte) 0xFE, (byte) 0xED, (byte) 0xFE, (byte) 0xED};

  private CertificateFiles() {}

  /** A file's format as recognised. */
  public enum Format {
    PEM,
    DER,
    PKCS12,
    JKS;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Why a file was refused. */
  public enum Refusal {
    UNREADABLE,
    TOO_LARGE,
    EMPTY,
    NOT_A_CERTIFICATE,
    CORRUPT_PEM,
    NO_CERTIFICATE,
    PASSWORD_REQUIRED,
    WRONG_PASSWORD;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The outcome of reading one file. */
  public sealed interface Result {
    /**
     * The file held certificates.
     *
     * @param chains one list per chain: a PEM file is one list in file order, a keystore one list
     *     per alias (leaf first), a DER file one list of one
     */
    record Read(Format format, List<List<X509Certificate>> chains) implements Result {
      public Read {
        Objects.requireNonNull(format, "format");
        chains = chains.stream().map(List::copyOf).toList();
        if (chains.isEmpty() || chains.stream().anyMatch(List::isEmpty)) {
          throw new IllegalArgumentException("chains must be non-empty lists of certificates");
        }
      }

      /** Every certificate, chains flattened, duplicates kept. */
      public List<X509Certificate> certificates() {
        return chains.stream().flatMap(List::stream).toList();
      }
    }

    /** The file was refused; nothing of it may be used. */
    record Refused(Refusal reason, String message) implements Result {
      public Refused {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
      }
    }
  }

  /** Reads {@code file}; {@code password} opens keystores. */
  public static Result read(Path file, Optional<char[]> password) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(password, "password");
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        return new Result.Refused(
            Refusal.TOO_LARGE, file + " is larger than " + MAX_FILE_BYTES + " bytes");
      }
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return new Result.Refused(Refusal.UNREADABLE, "cannot read " + file + ": " + e);
    }
    return read(bytes, password, file.toString());
  }

  /** Reads {@code bytes} ({@code name} only labels messages). */
  public static Result read(byte[] bytes, Optional<char[]> password, String name) {
    if (bytes.length == 0) {
      return new Result.Refused(Refusal.EMPTY, name + " is empty");
    }
    if (startsWith(bytes, JKS_MAGIC)) {
      return keystore("JKS", Format.JKS, bytes, password, name);
    }
    String head =
        new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.ISO_8859_1);
    if (head.contains("-----BEGIN ")) {
      return pem(bytes, name);
    }
    if ((bytes[0] & 0xFF) == 0x30) {
      DecodedCertificate decoded = DecodedCertificate.der(bytes);
      if (decoded instanceof DecodedCertificate.Certificate c) {
        return new Result.Read(Format.DER, List.of(List.of(c.certificate())));
      }
      Result p12 = keystore("PKCS12", Format.PKCS12, bytes, password, name);
      if (!(p12 instanceof Result.Refused refused
          && refused.reason() == Refusal.NOT_A_CERTIFICATE)) {
        return p12;
      }
    }
    return new Result.Refused(
        Refusal.NOT_A_CERTIFICATE, name + " is not PEM, DER, PKCS#12 or JKS certificate data");
  }

  private static Result pem(byte[] bytes, String name) {
    List<X509Certificate> certificates = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader reader =
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object o;
      while ((o = parser.readObject()) != null) {
        if (o instanceof X509CertificateHolder holder) {
          certificates.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      return new Result.Refused(
          Refusal.CORRUPT_PEM, name + " holds a PEM block that does not parse: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      return new Result.Refused(Refusal.NO_CERTIFICATE, name + " holds no PEM certificate");
    }
    return new Result.Read(Format.PEM, List.of(certificates));
  }

  private static Result keystore(
      String type, Format format, byte[] bytes, Optional<char[]> password, String name) {
    KeyStore store;
    try {
      store = KeyStore.getInstance(type);
      store.load(new ByteArrayInputStream(bytes), password.orElse(null));
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        return password.isEmpty()
            ? new Result.Refused(Refusal.PASSWORD_REQUIRED, name + " needs a password")
            : new Result.Refused(Refusal.WRONG_PASSWORD, "the password does not open " + name);
      }
      return new Result.Refused(
          Refusal.NOT_A_CERTIFICATE, name + " is not a readable " + type + " keystore: " + e);
    } catch (GeneralSecurityException | RuntimeException e) {
      return new Result.Refused(
          Refusal.NOT_A_CERTIFICATE, name + " is not a readable " + type + " keystore: " + e);
    }
    List<List<X509Certificate>> chains = new ArrayList<>();
    try {
      for (String alias : Collections.list(store.aliases())) {
        Certificate[] chain = store.getCertificateChain(alias);
        if (chain == null) {
          Certificate single = store.getCertificate(alias);
          chain = single == null ? new Certificate[0] : new Certificate[] {single};
        }
        List<X509Certificate> x509 = new ArrayList<>();
        for (Certificate c : chain) {
          if (c instanceof X509Certificate x) {
            x509.add(x);
          }
        }
        if (!x509.isEmpty()) {
          chains.add(x509);
        }
      }
    } catch (GeneralSecurityException e) {
      return new Result.Refused(Refusal.NOT_A_CERTIFICATE, name + ": " + e);
    }
    if (chains.isEmpty() && password.isEmpty()) {
      // Without a password the JDK skips encrypted certificate bags instead of failing.
      return new Result.Refused(Refusal.PASSWORD_REQUIRED, name + " needs a password");
    }
    if (chains.isEmpty()) {
      return new Result.Refused(Refusal.NO_CERTIFICATE, name + " holds no certificate");
    }
    return new Result.Read(format, chains);
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
