package io.auditgate.app.cli;

import io.auditgate.app.config.ConfigLoader;
import io.auditgate.app.runtime.StoreSession;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.fleet.Fleet;
import io.auditgate.fleet.ImportError;
import io.auditgate.fleet.ImportFormat;
import io.auditgate.fleet.ImportResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate devices import FILE}: registers devices from CSV or JSON into the fleet
 * registry, all of them or none. Exit 0 when imported, 1 when the input was refused (every error
 * printed with its line), 2 for a usage error.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Register devices from a CSV or JSON file (formats in docs/fleet.md) in the store's fleet"
          + " registry.",
      "Every record is checked first; on any error nothing is written and each error is printed"
          + " with its line number and reason code."
    })
final class DevicesImport implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The CSV or JSON file.")
  Path input;

  @Option(
      names = "--format",
      paramLabel = "csv|json",
      description = "Input format (default: from the file name's extension, else csv).")
  String format;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file naming the store (see examples/).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Optional<ImportFormat> chosen = format();
    if (chosen.isEmpty()) {
      err.printf("unknown --format '%s': use csv or json%n", format);
      return 2;
    }
    if (!Files.isReadable(input)) {
      err.printf("cannot read %s%n", input);
      return 1;
    }
    AuditgateConfig loaded =
        new ConfigLoader().load(Optional.ofNullable(config), System.getenv(), overrides);
    ImportResult result =
        StoreSession.with(
            loaded,
            Clock.systemUTC(),
            store -> {
              try (Reader reader = Files.newBufferedReader(input, StandardCharsets.UTF_8)) {
                return Fleet.registry(store).importDevices(reader, chosen.get());
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    if (result instanceof ImportResult.Imported imported) {
      spec.commandLine()
          .getOut()
          .printf(
              "imported %d devices from %s: %d new, %d updated%n",
              imported.created() + imported.updated(),
              input,
              imported.created(),
              imported.updated());
      return 0;
    }
    List<ImportError> errors = ((ImportResult.Rejected) result).errors();
    err.printf("%s refused, nothing imported: %d errors%n", input, errors.size());
    for (ImportError e : errors) {
      err.printf("  %s: %s%n", input.getFileName(), e.describe());
    }
    return 1;
  }

  private Optional<ImportFormat> format() {
    if (format != null) {
      return ImportFormat.fromName(format);
    }
    String name = input.getFileName().toString().toLowerCase(Locale.ROOT);
    return Optional.of(name.endsWith(".json") ? ImportFormat.JSON : ImportFormat.CSV);
  }
}
