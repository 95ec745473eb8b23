package io.auditgate.app.cli;

import io.auditgate.app.config.ConfigLoader;
import io.auditgate.app.runtime.StoreAccess;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.web.tokens.ApiToken;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.IssuedToken;
import io.auditgate.web.tokens.Scope;
import io.auditgate.web.tokens.TokensFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auditgate tokens …}: API tokens for the web API, the dashboard and /metrics. */
@Command(
    name = "tokens",
    mixinStandardHelpOptions = true,
    description = {
      "API tokens for the HTTPS API, the dashboard and /metrics, kept in the store as SHA-256"
          + " hashes,",
      "or with --file in a tokens file (web.tokens_file) for a node without a store.",
      "Scopes: read (API and dashboard), write (registry changes, imports, alert"
          + " acknowledgement),",
      "metrics (/metrics), admin (revocation and CA operations; store tokens only)."
    },
    subcommands = {
      TokensCommand.Create.class,
      TokensCommand.ListTokens.class,
      TokensCommand.Revoke.class
    })
public final class TokensCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** --config and --set, as every command that needs the store takes them. */
  static final class ConfigOptions {
    @Option(
        names = {"-c", "--config"},
        paramLabel = "FILE",
        description = "YAML configuration file (the store it names holds the tokens).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one key.")
    List<String> overrides = new ArrayList<>();

    AuditgateConfig load() {
      return new ConfigLoader().load(Optional.ofNullable(file), System.getenv(), overrides);
    }
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = {
        "Create a token and print it once (only its hash is stored).",
        "With --file, append its hash line to a tokens file (web.tokens_file) instead of the"
            + " store; the node reads the file at start."
      })
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config = new ConfigOptions();

    @Option(
        names = "--file",
        paramLabel = "PATH",
        description =
            "Append to this tokens file (created owner-only if missing) instead of the store.")
    Path tokensFile;

    @Option(names = "--name", required = true, description = "Who or what the token is for.")
    String name;

    @Option(
        names = "--scope",
        required = true,
        split = ",",
        paramLabel = "SCOPE",
        description = "read, write, metrics, admin (comma-separated; admin not with --file).")
    List<String> scopes;

    @Override
    public Integer call() {
      Set<Scope> parsed = EnumSet.noneOf(Scope.class);
      for (String label : scopes) {
        Scope scope =
            Scope.parse(label.trim())
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "--scope: unknown scope '"
                                + label
                                + "'; use read, write, metrics or admin"));
        parsed.add(scope);
      }
      if (tokensFile != null && parsed.contains(Scope.ADMIN)) {
        // The tokens file serves nodes without a store (no CA there) and cannot be revoked
        // one token at a time the way the store's tokens are.
        throw new IllegalArgumentException(
            "--scope admin: admin tokens live in the store only, not in a tokens file");
      }
      if (tokensFile != null) {
        return appendToFile(parsed);
      }
      Clock clock = Clock.systemUTC();
      try (StoreAccess store = StoreAccess.open(config.load(), clock);
          ApiTokens tokens = new ApiTokens(store.options(), clock)) {
        IssuedToken issued = tokens.create(name, parsed);
        spec.commandLine().getOut().println(issued.secret());
        spec.commandLine()
            .getErr()
            .printf(
                "created token %d '%s' with scopes %s; it is shown only this once%n",
                issued.token().id(), name, labels(issued.token().scopes()));
      }
      return 0;
    }

    private int appendToFile(Set<Scope> scopes) {
      TokensFile.Appended appended = TokensFile.append(tokensFile, name, scopes);
      if (appended instanceof TokensFile.Invalid invalid) {
        spec.commandLine()
            .getErr()
            .printf("nothing appended to %s: %s%n", tokensFile, invalid.describe());
        return 1;
      }
      TokensFile.Created created = (TokensFile.Created) appended;
      spec.commandLine().getOut().println(created.issued().secret());
      spec.commandLine()
          .getErr()
          .printf(
              "appended token '%s' with scopes %s to %s (line %d); it is shown only this once;"
                  + " restart the node to load it%n",
              name, labels(scopes), tokensFile, created.line());
      return 0;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List tokens (never their values).")
  static final class ListTokens implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config = new ConfigOptions();

    @Override
    public Integer call() {
      Clock clock = Clock.systemUTC();
      try (StoreAccess store = StoreAccess.open(config.load(), clock);
          ApiTokens tokens = new ApiTokens(store.options(), clock)) {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "%-5s %-24s %-20s %-22s %-22s %s%n",
            "ID", "NAME", "SCOPES", "CREATED", "LAST USED", "REVOKED");
        for (ApiToken t : tokens.list()) {
          out.printf(
              "%-5d %-24s %-20s %-22s %-22s %s%n",
              t.id(),
              t.name(),
              labels(t.scopes()),
              t.createdAt(),
              t.lastUsedAt().map(Instant::toString).orElse("-"),
              t.revokedAt().map(Instant::toString).orElse("-"));
        }
        out.flush();
      }
      return 0;
    }
  }

  @Command(
      name = "revoke",
      mixinStandardHelpOptions = true,
      description = "Revoke a token by id; it stops working at once.")
  static final class Revoke implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConfigOptions config = new ConfigOptions();

    @Parameters(paramLabel = "ID", description = "The token's id (auditgate tokens list).")
    long id;

    @Override
    public Integer call() {
      Clock clock = Clock.systemUTC();
      try (StoreAccess store = StoreAccess.open(config.load(), clock);
          ApiTokens tokens = new ApiTokens(store.options(), clock)) {
        Optional<ApiToken> revoked = tokens.revoke(id);
        if (revoked.isEmpty()) {
          spec.commandLine().getErr().printf("no token with id %d%n", id);
          return 1;
        }
        spec.commandLine()
            .getErr()
            .printf(
                "revoked token %d '%s' at %s%n",
                id, revoked.get().name(), revoked.get().revokedAt().orElseThrow());
      }
      return 0;
    }
  }

  private static String labels(Set<Scope> scopes) {
    return scopes.stream().map(Scope::label).sorted().collect(Collectors.joining(","));
  }
}
