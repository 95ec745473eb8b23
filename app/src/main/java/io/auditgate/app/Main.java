package io.auditgate.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.auditgate.app.cli.BenchCommand;
import io.auditgate.app.cli.CertsCommand;
import io.auditgate.app.cli.ConfigCommand;
import io.auditgate.app.cli.DemoCommand;
import io.auditgate.app.cli.DevicesCommand;
import io.auditgate.app.cli.RunCommand;
import io.auditgate.app.cli.SimulateCommand;
import io.auditgate.app.cli.TokensCommand;
import io.auditgate.app.cli.WalCommand;
import io.auditgate.core.AuditgateException;
import io.auditgate.core.config.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code auditgate} command line. */
@Command(
    name = "auditgate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "An auditable IoT telemetry gateway: devices publish over MQTT/HTTPS, the gateway keeps every"
          + " acknowledged message in a write-ahead log and forwards it to Kafka and"
          + " PostgreSQL/TimescaleDB.",
      ""
    },
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      WalCommand.class,
      SimulateCommand.class,
      CertsCommand.class,
      DevicesCommand.class,
      TokensCommand.class,
      BenchCommand.class,
      ConfigCommand.class,
      CommandLine.HelpCommand.class
    },
    footer = {"", "Exit codes: 0 success, 1 a check found problems, 2 bad usage or configuration."})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--log-level",
      scope = CommandLine.ScopeType.INHERIT,
      paramLabel = "LEVEL",
      description = "Log level on stderr: error, warn (default), info, debug, trace.")
  void logLevel(String level) {
    Level parsed = Level.toLevel(level, null);
    if (parsed == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--log-level must be error, warn, info, debug or trace, got " + level);
    }
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(parsed);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (for tests and for {@link #main}). */
  public static int execute(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("auditgate: " + e.getMessage());
            return 2;
          }
          // Expected operational failures (a port in use, a log held by another gateway, an
          // unreadable file) get one line; anything else is a bug and keeps its stack trace.
          if (e instanceof AuditgateException
              || e instanceof java.io.IOException
              || e instanceof java.io.UncheckedIOException) {
            commandLine.getErr().println("auditgate: " + e.getMessage());
            return 1;
          }
          throw e;
        });
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Version from the jar manifest when packaged, else "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"auditgate " + (v != null ? v : "development build")};
    }
  }
}
