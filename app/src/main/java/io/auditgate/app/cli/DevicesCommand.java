package io.auditgate.app.cli;

import io.auditgate.ingest.auth.CredentialStore;
import io.auditgate.ingest.auth.CredentialsFile;
import io.auditgate.ingest.auth.DeviceCredentials;
import io.auditgate.ingest.auth.SecretHash;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code auditgate devices …}: device credentials for password (MQTT) and token (HTTPS) login. */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = "Device credentials kept hashed (PBKDF2-HMAC-SHA256) in the credentials file.",
    subcommands = {DevicesCommand.AddCredential.class})
public final class DevicesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "add-credential",
      mixinStandardHelpOptions = true,
      description = {
        "Give a device a password (MQTT username = device id) or a new bearer token (HTTPS).",
        "Only the hash is stored; a new token is printed once."
      })
  static final class AddCredential implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DEVICE_ID", description = "The device id.")
    String deviceId;

    @Option(
        names = "--credentials-file",
        paramLabel = "FILE",
        description = "JSON-lines credentials file (default: ${DEFAULT-VALUE}).")
    Path file = Path.of("data", "credentials.jsonl");

    @ArgGroup(multiplicity = "1")
    Kind kind;

    static final class Kind {
      @Option(
          names = "--password-stdin",
          description = "Read the password from standard input (one line).")
      boolean passwordStdin;

      @Option(names = "--token", description = "Generate a bearer token and print it once.")
      boolean token;
    }

    @Override
    public Integer call() throws Exception {
      CredentialStore store =
          Files.exists(file) ? CredentialsFile.read(file) : CredentialStore.empty();
      Optional<DeviceCredentials> existing = store.get(deviceId);
      String printed = null;
      SecretHash hash;
      if (kind.token) {
        printed = CredentialsFile.newToken(deviceId);
        hash = SecretHash.parse(CredentialsFile.hashSecret(printed.toCharArray()));
      } else {
        char[] password = readPassword();
        try {
          hash = SecretHash.parse(CredentialsFile.hashSecret(password));
        } finally {
          Arrays.fill(password, '\0');
        }
      }
      DeviceCredentials updated =
          kind.token
              ? existing
                  .map(d -> d.withToken(hash))
                  .orElse(new DeviceCredentials(deviceId, Optional.empty(), Optional.of(hash)))
              : existing
                  .map(d -> d.withPassword(hash))
                  .orElse(new DeviceCredentials(deviceId, Optional.of(hash), Optional.empty()));
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      CredentialsFile.write(file, store.with(updated));
      if (printed != null) {
        spec.commandLine().getOut().println(printed);
      }
      spec.commandLine()
          .getErr()
          .printf(
              "stored the %s hash for %s in %s%n",
              kind.token ? "token" : "password", deviceId, file);
      return 0;
    }

    private static char[] readPassword() throws Exception {
      Console console = System.console();
      if (console != null) {
        return console.readPassword("password for the device: ");
      }
      String line =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
              .readLine();
      if (line == null || line.isEmpty()) {
        throw new IllegalArgumentException("no password on standard input");
      }
      return line.toCharArray();
    }
  }
}
