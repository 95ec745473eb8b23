package io.auditgate.bench.certs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.auditgate.bench.CrlBenchmark;
import io.auditgate.certs.KeyAlgorithm;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code auditgate bench certs}: the three certificate measurements in one run — issuance
 * from CSRs next to {@code openssl ca} (ECDSA P-256 and RSA 2048), the inventory's posture summary
 * and expiring-soon query at 100,000 certificates, and CRL regeneration with 100,000 revoked
 * entries next to {@code openssl ca -gencrl}.
 */
public final class CertsBenchmark {
  /** ECDSA issuance must at least keep up with openssl. */
  public static final double ISSUANCE_TARGET = 1.0;

  /** Each inventory query's p95. */
  public static final double INVENTORY_P95_TARGET_MS = 50;

  private CertsBenchmark() {}

  /**
   * @param issued certificates per issuance round and algorithm
   * @param inventory certificates in the inventory
   * @param revoked revoked entries in the CRL
   */
  public record Options(int issued, int inventory, int revoked, int rounds, int queryRuns) {
    public Options {
      if (issued < 1 || inventory < 1 || revoked < 1 || rounds < 1 || queryRuns < 1) {
        throw new IllegalArgumentException("every size must be at least 1");
      }
    }

    public static Options defaults() {
      return new Options(2_000, 100_000, 100_000, 3, 100);
    }

    /** Small enough for a minute. */
    public static Options quick() {
      return new Options(200, 10_000, 10_000, 1, 20);
    }
  }

  /** The JSON report and whether every target was met. */
  public record Result(String json, boolean targetsMet) {}

  public static Result run(Options options, Path dir, PrintStream progress)
      throws IOException, InterruptedException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    report.put("benchmark", "auditgate bench certs");
    ObjectNode settings = report.putObject("settings");
    settings.put("issued_per_round", options.issued());
    settings.put("inventory_certificates", options.inventory());
    settings.put("crl_entries", options.revoked());
    settings.put("rounds", options.rounds());
    settings.put("environment_cores", Runtime.getRuntime().availableProcessors());
    settings.put("java", System.getProperty("java.version"));
    boolean met = true;

    progress.println("issuance from CSRs, auditgate and openssl ca, same CA key:");
    ArrayNode issuance = report.putArray("issuance");
    for (KeyAlgorithm algorithm : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.RSA_2048)) {
      // RSA key pairs take ~50 ms each to make (untimed, but minutes for thousands): a quarter.
      int count = algorithm.isRsa() ? Math.max(1, options.issued() / 4) : options.issued();
      IssuanceBenchmark.Result r =
          IssuanceBenchmark.run(
              algorithm,
              count,
              options.rounds(),
              Files.createDirectories(dir.resolve("issuance-" + algorithm)),
              progress);
      ObjectNode node = issuance.addObject();
      node.put("algorithm", algorithm.name());
      node.put("certificates_per_round", count);
      node.put("auditgate_per_second", Math.round(r.auditgate().perSecond()));
      node.put("openssl_ca_per_second", Math.round(r.openssl().perSecond()));
      node.put("ratio", Math.round(r.ratio() * 100) / 100.0);
      if (algorithm == KeyAlgorithm.EC_P256) {
        node.put("target_ratio", ISSUANCE_TARGET);
        met &= r.ratio() >= ISSUANCE_TARGET;
      }
      progress.printf(
          "  %s: auditgate %,.0f/s, openssl ca %,.0f/s, ratio %.2f%n",
          algorithm, r.auditgate().perSecond(), r.openssl().perSecond(), r.ratio());
    }

    progress.printf("inventory of %,d certificates:%n", options.inventory());
    ArrayNode inventory = report.putArray("inventory");
    for (InventoryBenchmark.Timing t :
        InventoryBenchmark.run(
            Files.createDirectories(dir.resolve("inventory")),
            options.inventory(),
            options.queryRuns(),
            progress)) {
      ObjectNode node = inventory.addObject();
      node.put("query", t.query());
      node.put("runs", t.runs());
      node.put("p50_ms", Math.round(t.p50Millis() * 100) / 100.0);
      node.put("p95_ms", Math.round(t.p95Millis() * 100) / 100.0);
      node.put("target_p95_ms", INVENTORY_P95_TARGET_MS);
      met &= t.p95Millis() <= INVENTORY_P95_TARGET_MS;
      progress.printf("  %s: p50 %.1f ms, p95 %.1f ms%n", t.query(), t.p50Millis(), t.p95Millis());
    }

    progress.printf("CRL with %,d revoked entries:%n", options.revoked());
    CrlBenchmark.Result crl =
        CrlBenchmark.run(
            options.revoked(),
            options.rounds(),
            Files.createDirectories(dir.resolve("crl")),
            progress);
    report.set("crl", json.readTree(crl.toJson()));
    report.put("all_targets_met", met);
    return new Result(json.writerWithDefaultPrettyPrinter().writeValueAsString(report), met);
  }
}
