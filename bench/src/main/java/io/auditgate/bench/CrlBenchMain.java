package io.auditgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs the CRL regeneration benchmark: {@code java ... CrlBenchMain [entries] [rounds]} (default
 * 100,000 entries, 3 rounds); prints one JSON object on stdout.
 */
public final class CrlBenchMain {
  private CrlBenchMain() {}

  public static void main(String[] args) {
    int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    try {
      Path dir = Files.createTempDirectory("auditgate-crl-bench");
      System.out.println(CrlBenchmark.run(entries, rounds, dir, System.err).toJson());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
