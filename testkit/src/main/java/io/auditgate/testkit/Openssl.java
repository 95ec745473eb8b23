package io.auditgate.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openssl} command line as an independent client. A missing openssl fails the test (an
 * {@link AssertionError}) with a message saying so: the checks it makes are the point of the test,
 * so skipping would hide them.
 */
public final class Openssl {
  private Openssl() {}

  /** What a run printed (stdout and stderr together) and its exit code. */
  public record Run(int exitCode, String output) {}

  /** Runs {@code openssl args…} in {@code workDir}, with no input, for at most 30 s. */
  public static Run run(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "openssl 3 must be installed for this test (apt-get install -y openssl; .ci/run does): "
              + e.getMessage(),
          e);
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("openssl " + String.join(" ", args) + " did not finish in 30 s");
      }
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return new Run(process.exitValue(), output);
    } catch (IOException e) {
      throw new AssertionError("cannot read openssl's output: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while openssl ran", e);
    }
  }

  /** Fails unless the installed openssl is version 3 or later. */
  public static void requireVersion3(Path workDir) {
    Run version = run(workDir, "version");
    if (version.exitCode() != 0 || !version.output().matches("(?s)OpenSSL [3-9].*")) {
      throw new AssertionError("openssl 3 is required, found: " + version.output());
    }
  }
}
