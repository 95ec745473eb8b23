package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code openssl} command line as an independent client. Missing openssl fails the test with a
 * message saying so: skipping would hide the check the test exists for.
 */
public final class Openssl {
  private Openssl() {}

  /** What a run printed (stdout and stderr together) and its exit code. */
  public record Run(int exitCode, String output) {}

  public static Run run(Path workDir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process process;
    try {
      process =
          new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      return fail(
          "openssl 3 must be installed for this test (apt-get install -y openssl; .ci/run does): "
              + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return fail("openssl " + String.join(" ", args) + " did not finish in 30 s");
      }
      return new Run(
          process.exitValue(),
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return fail("cannot read openssl's output: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted while openssl ran");
    }
  }

  public static void requireVersion3(Path workDir) {
    Run version = run(workDir, "version");
    if (version.exitCode() != 0 || !version.output().matches("(?s)OpenSSL [3-9].*")) {
      fail("openssl 3 is required, found: " + version.output());
    }
  }
}
