package io.auditgate.bench;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.RevocationReason;
import io.auditgate.certs.RevokedSerial;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.PublishedCrl;
import io.auditgate.controlplane.revocation.RevocationOptions;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * CRL regeneration with many revoked entries, side by side with {@code openssl ca -gencrl} signing
 * the same list with the same CA key in the same run:
 *
 * <ul>
 *   <li>{@code auditgate_regenerate}: {@code Revocations.regenerateCrl()} end to end: lock, read
 *       every revocation from PostgreSQL, sign with Bouncy Castle, write the published row;
 *   <li>{@code auditgate_sign}: the signing alone ({@code RevocationAuthority.crl}) from memory;
 *   <li>{@code openssl_gencrl}: {@code openssl ca -gencrl} over an {@code index.txt} with the same
 *       serials (process start included, a few ms).
 * </ul>
 *
 * Each is run {@code rounds} times and the median reported; {@code ratio} is openssl's median over
 * auditgate's end-to-end median (above 1: auditgate is faster).
 */
public final class CrlBenchmark {
  private static final DateTimeFormatter OPENSSL_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private CrlBenchmark() {}

  /** The figures of one run. */
  public record Result(
      int entries,
      int rounds,
      long auditgateRegenerateMillis,
      long auditgateSignMillis,
      long opensslGencrlMillis,
      int crlBytes,
      double ratio) {
    public String toJson() {
      return String.format(
          Locale.ROOT,
          "{\"benchmark\":\"crl\",\"entries\":%d,\"rounds\":%d,\"auditgate_regenerate_ms\":%d,"
              + "\"auditgate_sign_ms\":%d,\"openssl_gencrl_ms\":%d,\"crl_bytes\":%d,"
              + "\"ratio_openssl_over_auditgate\":%.2f}",
          entries,
          rounds,
          auditgateRegenerateMillis,
          auditgateSignMillis,
          opensslGencrlMillis,
          crlBytes,
          ratio);
    }
  }

  public static Result run(int entries, int rounds, Path workDir, PrintStream progress) {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(workDir.resolve("pg"))) {
      StoreOptions store =
          StoreOptions.of(
              postgres.createDatabase("crlbench"), postgres.user(), postgres.password());
      StoreSchema.migrate(store);
      Clock clock = Clock.systemUTC();
      DevCertificateAuthority ca =
          DevCertificateAuthority.create(
              workDir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
      Revocations revocations =
          Revocations.over(
              store,
              ca.revocationAuthority(),
              CertificateSource.none(),
              RevocationOptions.defaults(),
              clock);
      Instant revokedAt = clock.instant().minusSeconds(60);
      progress.printf("inserting %d revocations%n", entries);
      insert(store, ca.revocationAuthority().issuerName(), entries, revokedAt);
      List<RevokedSerial> inMemory = new ArrayList<>(entries);
      for (int i = 0; i < entries; i++) {
        inMemory.add(new RevokedSerial(serial(i), revokedAt, RevocationReason.KEY_COMPROMISE));
      }
      long[] regenerate = new long[rounds];
      long[] sign = new long[rounds];
      long[] openssl = new long[rounds];
      Path opensslDir = prepareOpenssl(workDir.resolve("openssl"), ca, entries, revokedAt);
      int bytes = 0;
      for (int r = 0; r < rounds; r++) {
        long start = System.nanoTime();
        PublishedCrl crl = revocations.regenerateCrl();
        regenerate[r] = System.nanoTime() - start;
        bytes = crl.der().length;
        if (crl.entries() != entries) {
          throw new IllegalStateException("the CRL lists " + crl.entries() + " entries");
        }
        start = System.nanoTime();
        ca.revocationAuthority()
            .crl(BigInteger.valueOf(r + 1), inMemory, clock.instant(), Duration.ofHours(24));
        sign[r] = System.nanoTime() - start;
        start = System.nanoTime();
        gencrl(opensslDir);
        openssl[r] = System.nanoTime() - start;
        progress.printf(
            "round %d: regenerate %d ms, sign %d ms, openssl %d ms%n",
            r + 1, millis(regenerate[r]), millis(sign[r]), millis(openssl[r]));
      }
      long auditgate = millis(median(regenerate));
      long competitor = millis(median(openssl));
      return new Result(
          entries,
          rounds,
          auditgate,
          millis(median(sign)),
          competitor,
          bytes,
          auditgate == 0 ? 0 : (double) competitor / auditgate);
    }
  }

  private static BigInteger serial(int i) {
    // The same serials in the table, in memory and in openssl's index: 0x10000000 + i.
    return BigInteger.valueOf(0x10000000L + i);
  }

  private static void insert(StoreOptions store, String issuer, int entries, Instant at) {
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties());
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO certificate_revocations (issuer, serial_hex, reason, revoked_at,"
                    + " revoked_by) SELECT ?, to_hex(268435456 + g), 'keyCompromise', ?, 'bench'"
                    + " FROM generate_series(0, ? - 1) g")) {
      ps.setString(1, issuer);
      ps.setTimestamp(2, java.sql.Timestamp.from(at));
      ps.setInt(3, entries);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot insert the revocations: " + e.getMessage(), e);
    }
  }

  private static Path prepareOpenssl(
      Path dir, DevCertificateAuthority ca, int entries, Instant revokedAt) {
    try {
      Files.createDirectories(dir);
      StringBuilder index = new StringBuilder(entries * 80);
      String expiry = OPENSSL_TIME.format(revokedAt.plus(Duration.ofDays(365)));
      String revoked = OPENSSL_TIME.format(revokedAt);
      for (int i = 0; i < entries; i++) {
        index
            .append("R\t")
            .append(expiry)
            .append('\t')
            .append(revoked)
            .append(",keyCompromise\t")
            .append(serial(i).toString(16).toUpperCase(Locale.ROOT))
            .append("\tunknown\t/CN=device-")
            .append(i)
            .append('\n');
      }
      Files.writeString(dir.resolve("index.txt"), index, StandardCharsets.US_ASCII);
      Files.writeString(dir.resolve("index.txt.attr"), "unique_subject = no\n");
      Files.writeString(dir.resolve("crlnumber"), "01\n");
      Files.writeString(
          dir.resolve("openssl.cnf"),
          "[ ca ]\ndefault_ca = bench\n[ bench ]\ndatabase = index.txt\ncrlnumber = crlnumber\n"
              + "default_md = sha256\ndefault_crl_days = 1\nunique_subject = no\n");
      Path cert = ca.directory().resolve(DevCertificateAuthority.ISSUING_CERTIFICATE);
      Path key = ca.directory().resolve(DevCertificateAuthority.ISSUING_KEY);
      Files.copy(cert, dir.resolve("issuing.crt"));
      Files.copy(key, dir.resolve("issuing.key"));
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void gencrl(Path dir) {
    try {
      Process p =
          new ProcessBuilder(
                  "openssl",
                  "ca",
                  "-batch",
                  "-config",
                  "openssl.cnf",
                  "-gencrl",
                  "-cert",
                  "issuing.crt",
                  "-keyfile",
                  "issuing.key",
                  "-out",
                  "crl.pem")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("openssl.log").toFile())
              .start();
      if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
        throw new IllegalStateException(
            "openssl ca -gencrl failed: " + Files.readString(dir.resolve("openssl.log")));
      }
    } catch (IOException e) {
      throw new IllegalStateException("openssl 3 is required for this benchmark: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static long median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
