package io.auditgate.bench;

/** Runs {@code bench store} without the command line: {@code java ... StoreBenchMain [--quick]}. */
public final class StoreBenchMain {
  private StoreBenchMain() {}

  public static void main(String[] args) {
    boolean quick = args.length > 0 && args[0].equals("--quick");
    StoreBenchResult result =
        StoreBenchmark.run(
            quick ? StoreBenchOptions.quick() : StoreBenchOptions.defaults(), System.err);
    System.out.println(result.toJson());
  }
}
