package io.auditgate.app.cli;

import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.ingest.auth.CertificateBindings;
import io.auditgate.ingest.auth.CertificateBindingsFile;
import io.auditgate.ingest.auth.CredentialStore;
import io.auditgate.ingest.auth.CredentialsFile;
import io.auditgate.ingest.auth.DeviceCredentials;
import io.auditgate.ingest.auth.Fingerprints;
import io.auditgate.ingest.auth.SecretHash;
import io.auditgate.ingest.tls.PemReader;
import java.io.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code auditgate devices …}: device credentials for password (MQTT) and token (HTTPS) login, and
 * the fleet registry import.
 */
@Command(
    name = "devices",
    mixinStandardHelpOptions = true,
    description = {
      "Device credentials kept hashed (PBKDF2-HMAC-SHA256) in the credentials file;",
      "the fleet registry in the store (import)."
    },
    subcommands = {
      DevicesCommand.AddCredential.class,
      DevicesCommand.BindCertificate.class,
      DevicesImport.class
    })
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

  @Command(
      name = "bind-certificate",
      mixinStandardHelpOptions = true,
      description = {
        "Bind a certificate (PEM) to a device in the certificate bindings file"
            + " (auth.certificate_bindings_file). With a bindings file configured, a device"
            + " authenticates with a certificate only if it is bound to it, and a certificate"
            + " bound to one device cannot stand for another.",
        "A device may have several bound certificates, for example during a renewal."
      })
  static final class BindCertificate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "DEVICE_ID", description = "The device id.")
    String deviceId;

    @Option(
        names = "--certificate",
        paramLabel = "PEM",
        required = true,
        description = "The device's certificate (the first certificate in the file).")
    Path certificate;

    @Option(
        names = "--bindings-file",
        paramLabel = "FILE",
        description = "JSON-lines bindings file (default: ${DEFAULT-VALUE}).")
    Path file = Path.of("data", "certificate-bindings.jsonl");

    @Override
    public Integer call() throws Exception {
      if (!Telemetry.isDeviceId(deviceId)) {
        throw new IllegalArgumentException(
            "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
      }
      X509Certificate cert = PemReader.readCertificates(certificate).get(0);
      String fingerprint = Fingerprints.sha256Hex(cert);
      if (Files.exists(file)) {
        CertificateBindings existing = CertificateBindingsFile.read(file);
        Optional<String> owner = existing.deviceOf(fingerprint);
        if (owner.isPresent()) {
          if (owner.get().equals(deviceId)) {
            spec.commandLine()
                .getErr()
                .printf("%s is already bound to %s%n", fingerprint, deviceId);
            return 0;
          }
          throw new IllegalArgumentException(
              "certificate " + fingerprint + " is bound to " + owner.get() + "; unbind it first");
        }
      }
      CertificateBindingsFile.append(file, deviceId, fingerprint);
      spec.commandLine()
          .getErr()
          .printf("bound certificate %s to %s in %s%n", fingerprint, deviceId, file);
      return 0;
    }
  }
}
