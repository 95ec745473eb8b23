package io.auditgate.embedded;

import io.auditgate.core.AuditgateException;
import io.auditgate.core.Directories;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 17 server (the zonky binaries from Maven), run as a child process, with its
 * data in a directory that is kept across restarts: the embedded default when no database is
 * configured, and the database the tests and the demo use.
 *
 * <p>Unlike zonky's test defaults, the server runs with {@code fsync}, {@code synchronous_commit}
 * and {@code full_page_writes} on: a commit the store reports is on disk, which is what the
 * gateway's no-loss promise rests on. The port is chosen once (a free one, unless fixed) and kept
 * across {@link #stop()} and {@link #start()}, so clients reconnect to the same URL after an
 * outage.
 *
 * <p>Thread-safe; {@link #start()}, {@link #stop()} and {@link #close()} block until the server is
 * up or down (about 2 s to start once the binaries are unpacked).
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);

  /**
   * The superuser initdb creates; the server trusts loopback connections, so any password works.
   */
  public static final String USER = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");

  private final Options options;
  private final int port;
  private io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;
  private boolean closed;

  /**
   * Where and how to run the server.
   *
   * @param dataDirectory the cluster's directory; created and initialised on first start, reused
   *     after
   * @param port the port to listen on, or 0 for a free one chosen at the first start
   * @param binariesDirectory where the binaries are unpacked (shared between instances); empty for
   *     the temp directory
   */
  public record Options(Path dataDirectory, int port, Optional<Path> binariesDirectory) {
    public Options {
      Objects.requireNonNull(dataDirectory, "dataDirectory");
      Objects.requireNonNull(binariesDirectory, "binariesDirectory");
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
    }

    /** A free port, binaries in the temp directory. */
    public static Options in(Path dataDirectory) {
      return new Options(dataDirectory, 0, Optional.empty());
    }
  }

  private EmbeddedPostgres(Options options, int port) {
    this.options = options;
    this.port = port;
  }

  /** Starts a server on a free port with its data in {@code dataDirectory}. */
  public static EmbeddedPostgres start(Path dataDirectory) {
    return start(Options.in(dataDirectory));
  }

  /**
   * Starts a server in a new temporary directory named after {@code prefix} and, when the JVM
   * exits, stops it and deletes the directory: the per-JVM server the tests share. A data directory
   * is 0.6–0.9 GB, so leaving them behind fills a long-lived machine's disk.
   */
  public static EmbeddedPostgres startThrowaway(String prefix) {
    Path dir;
    try {
      dir = Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary directory for PostgreSQL", e);
    }
    EmbeddedPostgres postgres = start(dir);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  postgres.close();
                  deleteWhenReleased(dir);
                },
                "throwaway-postgres-cleanup"));
    return postgres;
  }

  /**
   * Deletes the data directory, trying again for a moment: the server's processes may still be
   * writing their last files after the stop returns (a full suite saw a directory not yet empty).
   */
  private static void deleteWhenReleased(Path dir) {
    for (int attempt = 1; ; attempt++) {
      try {
        Directories.deleteTree(dir);
        return;
      } catch (UncheckedIOException e) {
        if (attempt == 10) {
          log.warn("could not delete {}: {}", dir, e.getMessage());
          return;
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /**
   * Starts a server as {@code options} say.
   *
   * @throws UnableToStartPostgresException if the binaries cannot be unpacked or the server does
   *     not come up
   */
  public static EmbeddedPostgres start(Options options) {
    int port = options.port() != 0 ? options.port() : LoopbackPorts.free();
    EmbeddedPostgres postgres = new EmbeddedPostgres(options, port);
    postgres.start();
    return postgres;
  }

  /**
   * Starts the server again on the same data and port after {@link #stop()}; does nothing if it
   * runs.
   */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("embedded PostgreSQL was closed");
    }
    if (server != null) {
      return;
    }
    try {
      Files.createDirectories(options.dataDirectory());
      stopOrphanedServer();
      var builder =
          io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
              .setDataDirectory(options.dataDirectory())
              .setCleanDataDirectory(false)
              .setPort(port)
              // zonky trades durability for test speed; the gateway's data must survive a crash.
              .setServerConfig("fsync", "on")
              .setServerConfig("synchronous_commit", "on")
              .setServerConfig("full_page_writes", "on")
              .setServerConfig("listen_addresses", "localhost");
      if (options.binariesDirectory().isPresent()) {
        Files.createDirectories(options.binariesDirectory().get());
        builder.setOverrideWorkingDirectory(options.binariesDirectory().get().toFile());
      }
      server = builder.start();
    } catch (IOException | RuntimeException e) {
      throw new UnableToStartPostgresException(
          "cannot start embedded PostgreSQL on port "
              + port
              + " with data in "
              + options.dataDirectory()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * A process killed with SIGKILL (or by the OOM killer) skips its shutdown hooks and leaves the
   * PostgreSQL it started running on its data directory, detached; starting on that directory again
   * would fail for good. If {@code postmaster.pid} names a live postgres whose parent is gone (it
   * was re-parented to init or a subreaper), stop it; if its parent still lives, another process is
   * using the directory and this one must not touch it.
   */
  private void stopOrphanedServer() throws IOException {
    Path pidFile = options.dataDirectory().resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      return; // PostgreSQL itself deals with a damaged or stale pid file
    }
    Optional<ProcessHandle> server = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (server.isEmpty()
        || !server.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
      return;
    }
    Optional<ProcessHandle> parent = server.get().parent().filter(ProcessHandle::isAlive);
    boolean orphaned =
        parent.isEmpty()
            || parent.get().pid() == 1
            || !parent.get().info().command().map(c -> c.contains("java")).orElse(false);
    if (!orphaned) {
      throw new UnableToStartPostgresException(
          "the PostgreSQL data in "
              + options.dataDirectory()
              + " is in use by process "
              + parent.get().pid()
              + " (its server is process "
              + pid
              + ")");
    }
    log.warn(
        "stopping PostgreSQL process {} left running on {} by a process that was killed",
        pid,
        options.dataDirectory());
    server.get().destroy(); // SIGTERM: smart shutdown; its clients died with their process
    try {
      server.get().onExit().get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      server.get().destroyForcibly(); // crash recovery on the next start replays its WAL
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnableToStartPostgresException("interrupted stopping an orphaned PostgreSQL", e);
    } catch (ExecutionException e) {
      throw new UnableToStartPostgresException("cannot stop an orphaned PostgreSQL", e);
    }
  }

  /** Stops the server (fast shutdown: sessions are ended, committed data is kept); idempotent. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL on port " + port, e);
    } finally {
      server = null;
    }
  }

  /** Whether the server runs (between {@link #start()} and {@link #stop()}). */
  public synchronized boolean isRunning() {
    return server != null;
  }

  /** The port, the same across restarts. */
  public int port() {
    return port;
  }

  /** The JDBC URL of the {@code postgres} database. */
  public String jdbcUrl() {
    return jdbcUrl("postgres");
  }

  /** The JDBC URL of {@code database} on this server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port + "/" + database;
  }

  /** The user to connect as. */
  public String user() {
    return USER;
  }

  /** The password to connect with (ignored: loopback connections are trusted). */
  public String password() {
    return "";
  }

  /** The data directory. */
  public Path dataDirectory() {
    return options.dataDirectory();
  }

  /**
   * Creates database {@code name} unless it exists, and returns its JDBC URL: tests give each case
   * its own database on one server.
   */
  public String createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("database name must match " + DATABASE_NAME + ": " + name);
    }
    try (Connection c = DriverManager.getConnection(jdbcUrl(), USER, "");
        Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
      if (!rs.next()) {
        s.execute("CREATE DATABASE " + name);
      }
    } catch (SQLException e) {
      throw new AuditgateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  /** Stops the server; the data directory stays. */
  @Override
  public synchronized void close() {
    stop();
    closed = true;
  }

  @Override
  public String toString() {
    return "EmbeddedPostgres[port=" + port + ", data=" + options.dataDirectory() + "]";
  }
}
