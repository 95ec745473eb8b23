package io.auditgate.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Eclipse Mosquitto, as Debian installs it, started as a child process on a free loopback port with
 * a generated configuration: persistence on in a private directory (the Debian default, which saves
 * the in-memory database on shutdown and every {@code autosave_interval}, not per message), and
 * optionally a mutual-TLS listener. Started through {@code bash -c 'ulimit -n 65536 || ulimit -n
 * <hard limit>; exec …'} so that it can hold tens of thousands of connections; {@code exec} keeps
 * the process id.
 */
public final class MosquittoBroker implements AutoCloseable {
  /** Shell prefix raising the soft open-file limit to 65,536, or to the hard limit if lower. */
  static final String RAISE_FILE_LIMIT =
      "{ ulimit -n 65536 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; } && ";

  /** Where Debian's package puts the binary. */
  public static final String BINARY = "/usr/sbin/mosquitto";

  /** PEM files for a mutual-TLS listener. */
  public record Tls(Path caFile, Path certFile, Path keyFile) {}

  private final Process process;
  private final int port;
  private final Path log;

  private MosquittoBroker(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /** Whether Mosquitto is installed where Debian puts it. */
  public static boolean installed() {
    return Files.isExecutable(Path.of(BINARY));
  }

  /** The version line {@code mosquitto -h} prints, e.g. "mosquitto version 2.0.11". */
  public static String version() {
    try {
      Process p = new ProcessBuilder(BINARY, "-h").redirectErrorStream(true).start();
      String first = new String(p.getInputStream().readAllBytes()).lines().findFirst().orElse("");
      p.waitFor(5, TimeUnit.SECONDS);
      return first.trim();
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /**
   * Starts Mosquitto with its files in {@code dir}.
   *
   * @param maxInflight {@code max_inflight_messages}, announced to MQTT 5 clients as their receive
   *     maximum; set it to the generator's window so both brokers get the same pipelining
   */
  public static MosquittoBroker start(Path dir, Optional<Tls> tls, int maxInflight) {
    try {
      Files.createDirectories(dir);
      int port = freePort();
      Path conf = dir.resolve("mosquitto.conf");
      Path log = dir.resolve("mosquitto.log");
      StringBuilder c = new StringBuilder();
      c.append("per_listener_settings false\n");
      c.append("user root\n");
      c.append("persistence true\n");
      c.append("persistence_location ").append(dir.toAbsolutePath()).append("/\n");
      c.append("log_dest stderr\n");
      c.append("log_type error\nlog_type warning\n");
      c.append("max_inflight_messages ").append(maxInflight).append('\n');
      c.append("listener ").append(port).append(" 127.0.0.1\n");
      if (tls.isPresent()) {
        c.append("cafile ").append(tls.get().caFile().toAbsolutePath()).append('\n');
        c.append("certfile ").append(tls.get().certFile().toAbsolutePath()).append('\n');
        c.append("keyfile ").append(tls.get().keyFile().toAbsolutePath()).append('\n');
        c.append("require_certificate true\n");
        c.append("use_identity_as_username true\n");
        c.append("allow_anonymous false\n");
      } else {
        c.append("allow_anonymous true\n");
      }
      Files.writeString(conf, c.toString());
      Process process =
          new ProcessBuilder(
                  "bash", "-c", RAISE_FILE_LIMIT + "exec " + BINARY + " -c \"$0\"", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      MosquittoBroker broker = new MosquittoBroker(process, port, log);
      broker.awaitListening();
      return broker;
    } catch (IOException e) {
      throw new UncheckedIOException("starting mosquitto", e);
    }
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  private void awaitListening() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("mosquitto exited: " + logTail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IOException("mosquitto did not listen on " + port + " within 10 s: " + logTail());
  }

  /** The last lines Mosquitto logged. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
