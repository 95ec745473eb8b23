package io.auditgate.embedded;

/**
 * A process that starts a throwaway PostgreSQL, prints its data directory and exits normally, so
 * that its shutdown hooks run.
 */
public final class ThrowawayChild {
  private ThrowawayChild() {}

  public static void main(String[] args) {
    EmbeddedPostgres postgres = EmbeddedPostgres.startThrowaway("throwaway-pg");
    postgres.createDatabase("some_rows");
    System.out.println("data " + postgres.dataDirectory());
    System.out.flush();
    System.exit(0);
  }
}
