package io.auditgate.app.cli;

import io.auditgate.app.config.ConfigLoader;
import io.auditgate.core.config.AuditgateConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints the effective configuration, so an operator sees every default and override applied. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Validate and print the effective configuration as YAML.",
      "Precedence, lowest first: built-in defaults, --config FILE, environment variables",
      "AUDITGATE_SECTION__KEY (e.g. AUDITGATE_WAL__SEGMENT_SIZE=128MiB), then --set flags."
    })
public final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "YAML configuration file.")
  Path file;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description = "Override one key, e.g. --set wal.linger=1ms (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Override
  public Integer call() {
    AuditgateConfig config =
        new ConfigLoader().load(Optional.ofNullable(file), System.getenv(), overrides);
    spec.commandLine().getOut().print(new ConfigLoader().toYaml(config));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
