package io.auditgate.app.runtime;

import io.auditgate.app.Main;
import io.auditgate.core.AuditgateException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway running as a child process ({@code auditgate run --config FILE}) of this JVM, so that
 * the demo and the reliability tests can kill it for real ({@code SIGKILL}) and start it again on
 * the same data. The child watches this process and stops cleanly if it goes away, so a killed demo
 * leaves nothing behind. Any role can run this way (a store consumer, say): readiness is then a
 * line the child prints rather than a port it listens on.
 *
 * <p>Not thread-safe: one owner starts, kills and stops it.
 */
public final class GatewayProcess implements AutoCloseable {
  private final Path configFile;
  private final Path logFile;
  private final Readiness readiness;
  private Process process;

  /** How the parent tells that a started child is up. */
  private interface Readiness {
    /**
     * @param logFrom where this start's output begins in the log file (it is appended to)
     */
    boolean ready(long logFrom) throws IOException;

    String describe();
  }

  /**
   * @param readyWhenListening an address the gateway listens on once it is up (its MQTT port)
   */
  public GatewayProcess(Path configFile, Path logFile, InetSocketAddress readyWhenListening) {
    this(
        configFile,
        logFile,
        new Readiness() {
          @Override
          public boolean ready(long logFrom) {
            try (Socket probe = new Socket()) {
              probe.connect(readyWhenListening, 200);
              return true;
            } catch (IOException notYet) {
              return false;
            }
          }

          @Override
          public String describe() {
            return "listen on " + readyWhenListening;
          }
        });
  }

  private GatewayProcess(Path configFile, Path logFile, Readiness readiness) {
    this.configFile = configFile;
    this.logFile = logFile;
    this.readiness = readiness;
  }

  /**
   * A child that is up once it has printed a line containing {@code readyLine} (for a process
   * without listeners, such as a store consumer: {@code "store consumer (group"}). Only what the
   * child printed since its latest start counts.
   */
  public static GatewayProcess readyWhenLogged(Path configFile, Path logFile, String readyLine) {
    return new GatewayProcess(
        configFile,
        logFile,
        new Readiness() {
          @Override
          public boolean ready(long logFrom) throws IOException {
            if (!Files.exists(logFile)) {
              return false;
            }
            byte[] all = Files.readAllBytes(logFile);
            int from = (int) Math.min(logFrom, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8)
                .contains(readyLine);
          }

          @Override
          public String describe() {
            return "print \"" + readyLine + "\"";
          }
        });
  }

  /** Starts the child and returns once it is ready (accepts connections, or printed its line). */
  public void start(Duration timeout) {
    if (alive()) {
      return;
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-Xmx512m",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "--config",
            configFile.toString(),
            "--drain",
            "0s",
            "--parent-pid",
            Long.toString(ProcessHandle.current().pid()));
    long logFrom;
    try {
      logFrom = Files.exists(logFile) ? Files.size(logFile) : 0;
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the gateway process", e);
    }
    awaitReady(timeout, logFrom);
  }

  /** Kills the child with {@code SIGKILL}: no shutdown hook, no clean close of its log. */
  public void kill() {
    if (process != null) {
      process.destroyForcibly();
      awaitExit();
    }
  }

  /** Stops the child with {@code SIGTERM}: it drains and closes its log cleanly. */
  public void stop() {
    if (process != null) {
      process.destroy();
      awaitExit();
    }
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  @Override
  public void close() {
    stop();
  }

  private void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
    process = null;
  }

  private void awaitReady(Duration timeout, long logFrom) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AuditgateException(
            "the gateway process exited with " + process.exitValue() + "; see " + logFile);
      }
      try {
        if (readiness.ready(logFrom)) {
          return;
        }
      } catch (IOException notYet) {
        // the log is being written; look again
      }
      sleep(100);
    }
    process.destroyForcibly();
    throw new AuditgateException(
        "the gateway process did not "
            + readiness.describe()
            + " within "
            + timeout
            + "; see "
            + logFile);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AuditgateException("interrupted waiting for the gateway process", e);
    }
  }
}
