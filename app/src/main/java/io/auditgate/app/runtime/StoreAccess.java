package io.auditgate.app.runtime;

import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.store.StoreOptions;
import io.auditgate.store.StoreSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The store for a one-off command ({@code auditgate tokens ...}): a configured database as it is;
 * the embedded one through the server a running node already has on the data directory (its port is
 * in {@code postmaster.pid}), else by starting it for the command's duration. The schema is brought
 * up to date either way.
 */
public final class StoreAccess implements AutoCloseable {
  private final StoreOptions options;
  private final Optional<StoreRuntime> owned;

  private StoreAccess(StoreOptions options, Optional<StoreRuntime> owned) {
    this.options = options;
    this.owned = owned;
  }

  public static StoreAccess open(AuditgateConfig config, Clock clock) {
    if (config.store().embedded()) {
      Optional<Integer> running = runningPort(config.gateway().postgresDir());
      if (running.isPresent()) {
        StoreOptions options =
            StoreOptions.of(
                "jdbc:postgresql://localhost:" + running.get() + "/postgres",
                EmbeddedPostgres.USER,
                "");
        StoreSchema.migrate(options);
        return new StoreAccess(options, Optional.empty());
      }
    }
    StoreRuntime store = StoreRuntime.open(config, clock);
    return new StoreAccess(store.options(), Optional.of(store));
  }

  public StoreOptions options() {
    return options;
  }

  @Override
  public void close() {
    owned.ifPresent(StoreRuntime::close);
  }

  /** The port of a live server on {@code dataDir}: line 4 of {@code postmaster.pid}. */
  private static Optional<Integer> runningPort(Path dataDir) {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      if (!Files.exists(pidFile)) {
        return Optional.empty();
      }
      List<String> lines = Files.readAllLines(pidFile);
      long pid = Long.parseLong(lines.get(0).strip());
      if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(Integer.parseInt(lines.get(3).strip()));
    } catch (IOException | RuntimeException e) {
      // A damaged pid file: starting the server reports the real problem.
      return Optional.empty();
    }
  }
}
