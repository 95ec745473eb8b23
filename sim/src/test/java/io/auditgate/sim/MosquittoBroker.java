package io.auditgate.sim;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for one test, on a free loopback port, with its configuration, its
 * persistence and its log in the test's temporary directory. Missing Mosquitto fails the test with
 * the command that installs it: a broker test that skips silently would prove nothing.
 */
final class MosquittoBroker implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final String INSTALL_HINT =
      "install it with: apt-get update && apt-get install -y mosquitto mosquitto-clients";

  private final Path dir;
  private final int port;
  private final List<String> listenerOptions;
  private Process process;

  private MosquittoBroker(Path dir, int port, List<String> listenerOptions) {
    this.dir = dir;
    this.port = port;
    this.listenerOptions = List.copyOf(listenerOptions);
  }

  /** Starts a broker on a port the system picks. */
  static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
    return start(dir, freePort());
  }

  /** Starts a broker on {@code port}, with its persistence in {@code dir}. */
  static MosquittoBroker start(Path dir, int port) throws IOException, InterruptedException {
    return start(dir, port, List.of());
  }

  /**
   * Starts a broker whose listener has these extra options, for example {@code cafile}, {@code
   * certfile}, {@code keyfile} and {@code require_certificate true} for mutual TLS.
   */
  static MosquittoBroker start(Path dir, int port, List<String> listenerOptions)
      throws IOException, InterruptedException {
    MosquittoBroker broker = new MosquittoBroker(dir, port, listenerOptions);
    broker.launch();
    return broker;
  }

  /** A free loopback port: bind to 0, read it, let it go. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The path of a Mosquitto program, or an AssertionError that says how to install it. */
  static Path program(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    // Debian installs the broker in /usr/sbin, which is not on every user's PATH.
    dirs.addAll(List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin"));
    for (String d : dirs) {
      if (d.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(d, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        name + " is not installed, and this test needs a real broker; " + INSTALL_HINT);
  }

  int port() {
    return port;
  }

  /**
   * Stops the broker the way an operator does (SIGTERM): it saves its persistence on the way out.
   */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      stop();
    }
  }

  /** The broker's log so far, for failure messages. */
  String log() {
    try {
      return Files.readString(dir.resolve("mosquitto.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private void launch() throws IOException, InterruptedException {
    Path binary = program("mosquitto");
    Path data = Files.createDirectories(dir.resolve("data"));
    Path conf = dir.resolve("mosquitto.conf");
    List<String> lines = new ArrayList<>();
    lines.add("listener " + port + " 127.0.0.1");
    lines.addAll(listenerOptions);
    Files.writeString(
        conf,
        String.join(
            "\n",
            String.join("\n", lines),
            "allow_anonymous true",
            "persistence true",
            "persistence_location " + data + "/",
            "user root",
            "log_dest file " + dir.resolve("mosquitto.log"),
            "log_type error",
            "log_type warning",
            "log_type notice",
            "log_type information",
            "connection_messages true",
            ""),
        StandardCharsets.UTF_8);
    process =
        new ProcessBuilder(binary.toString(), "-c", conf.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
            .start();
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(
            "mosquitto exited with "
                + process.exitValue()
                + " on port "
                + port
                + ":\n"
                + log()
                + Files.readString(dir.resolve("stdout.log")));
      }
      // Every listener, not just the first: mosquitto binds them one after the other, and a test
      // that connects to the second one at once was refused now and then.
      if (lines.stream()
          .filter(line -> line.startsWith("listener "))
          .allMatch(line -> listening(Integer.parseInt(line.split(" ")[1])))) {
        return;
      }
      Thread.sleep(25);
    }
    process.destroyForcibly();
    throw new AssertionError(
        "mosquitto did not listen on port " + port + " within " + READY_TIMEOUT);
  }
}
