package io.auditgate.embedded;

import java.nio.file.Path;

/**
 * A process that starts PostgreSQL on {@code args[0]} and dies without running its shutdown hooks,
 * as a SIGKILL would: the server it started is left running, detached.
 */
public final class OrphaningChild {
  private OrphaningChild() {}

  public static void main(String[] args) throws Exception {
    EmbeddedPostgres postgres = EmbeddedPostgres.start(Path.of(args[0]));
    postgres.createDatabase("before_the_kill");
    System.out.println("started " + postgres.port());
    System.out.flush();
    Runtime.getRuntime().halt(9);
  }
}
