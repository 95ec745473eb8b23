package io.auditgate.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Runs {@code auditgate bench wal} without the CLI: prints progress to standard error and the JSON
 * result to standard output.
 *
 * <pre>
 * java -cp ... io.auditgate.bench.WalBenchMain [--quick] [--duration-seconds N]
 *     [--warmup-seconds N] [--dir PATH] [--sizes 256,1024] [--producers 1,16,256]
 * </pre>
 */
public final class WalBenchMain {
  private WalBenchMain() {}

  public static void main(String[] args) {
    WalBenchOptions options;
    try {
      options = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (options == null) {
      System.out.println(usage());
      return;
    }
    WalBenchResult result = WalBenchmark.run(options, System.err);
    System.out.println(result.toJson());
  }

  /** The options the arguments ask for; null if they ask for help. */
  static WalBenchOptions parse(String[] args) {
    List<String> list = Arrays.asList(args);
    WalBenchOptions options =
        list.contains("--quick") ? WalBenchOptions.quick() : WalBenchOptions.defaults();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> {}
        case "--help", "-h" -> {
          return null;
        }
        case "--duration-seconds" ->
            options = options.withCellDuration(seconds(arg, value(args, ++i, arg)));
        case "--warmup-seconds" ->
            options = options.withWarmup(seconds(arg, value(args, ++i, arg)));
        case "--dir" -> options = options.withBaseDir(Path.of(value(args, ++i, arg)));
        case "--sizes" -> options = options.withRecordSizes(ints(arg, value(args, ++i, arg)));
        case "--producers" ->
            options = options.withProducerCounts(ints(arg, value(args, ++i, arg)));
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return options;
  }

  private static String value(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    return args[i];
  }

  private static Duration seconds(String name, String text) {
    try {
      return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " takes seconds, got '" + text + "'");
    }
  }

  private static List<Integer> ints(String name, String text) {
    try {
      return Arrays.stream(text.split(",")).map(String::trim).map(Integer::valueOf).toList();
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " takes comma-separated integers, got '" + text + "'");
    }
  }

  private static String usage() {
    return "usage: WalBenchMain [--quick] [--duration-seconds N] [--warmup-seconds N] [--dir PATH]"
        + " [--sizes 256,1024] [--producers 1,16,256]";
  }
}
