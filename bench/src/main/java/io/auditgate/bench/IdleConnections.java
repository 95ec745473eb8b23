package io.auditgate.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Many idle MQTT connections over mutual TLS, each authenticated as its own device, held by a
 * Python asyncio child process (open-file limit raised to 65,536, or to the hard limit where that
 * is lower) rather than by this JVM: the gateway runs in this JVM, so its heap and RSS then grow by
 * the server side of the connections only, and the JVM's own open-file limit is spent on the
 * gateway's sockets alone.
 */
public final class IdleConnections implements AutoCloseable {
  private static final String SCRIPT = "idle_mqtt_clients.py";

  /** How many connections were opened and how many attempts failed, with the first failure. */
  public record Opened(int open, int failed, String firstError) {}

  private final Process process;
  private final Opened opened;

  private IdleConnections(Process process, Opened opened) {
    this.process = process;
    this.opened = opened;
  }

  /**
   * Opens {@code count} connections to {@code host:port} and returns once each attempt has
   * finished. Device {@code i} uses {@code certDir/idPrefix%05d.crt} and {@code .key}.
   */
  public static IdleConnections open(
      String host,
      int port,
      Path caFile,
      Path certDir,
      String idPrefix,
      int count,
      int concurrency,
      Path workDir,
      PrintStream progress) {
    try {
      Path script = workDir.resolve(SCRIPT);
      try (InputStream in = IdleConnections.class.getResourceAsStream(SCRIPT)) {
        if (in == null) {
          throw new IllegalStateException("resource " + SCRIPT + " missing");
        }
        Files.write(script, in.readAllBytes());
      }
      Process process =
          new ProcessBuilder(
                  "bash",
                  "-c",
                  MosquittoBroker.RAISE_FILE_LIMIT + "exec python3 \"$@\"",
                  "idle",
                  script.toString(),
                  host,
                  Integer.toString(port),
                  caFile.toString(),
                  certDir.toString(),
                  idPrefix,
                  Integer.toString(count),
                  Integer.toString(concurrency))
              .redirectError(ProcessBuilder.Redirect.PIPE)
              .start();
      Thread errors =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                  r.lines().forEach(line -> progress.println("  " + line));
                } catch (IOException ignored) {
                  // The child is gone; nothing more to relay.
                }
              },
              "idle-clients-stderr");
      errors.setDaemon(true);
      errors.start();
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
        progress.println("  " + line);
      }
      if (line == null) {
        process.waitFor(5, TimeUnit.SECONDS);
        throw new IllegalStateException("idle clients exited early (python3 missing?)");
      }
      int open = Integer.parseInt(field(line, "ok="));
      int failed = Integer.parseInt(field(line, "failed="));
      int at = line.indexOf("first_error=");
      String first = at < 0 ? "" : line.substring(at + "first_error=".length());
      return new IdleConnections(process, new Opened(open, failed, first));
    } catch (IOException e) {
      throw new UncheckedIOException("starting the idle clients", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String field(String line, String key) {
    int start = line.indexOf(key) + key.length();
    int end = line.indexOf(' ', start);
    return line.substring(start, end < 0 ? line.length() : end);
  }

  public Opened opened() {
    return opened;
  }

  /** Closes every connection and waits for the child to exit. */
  @Override
  public void close() {
    try {
      OutputStream in = process.getOutputStream();
      in.write("close\n".getBytes(StandardCharsets.US_ASCII));
      in.flush();
      in.close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
