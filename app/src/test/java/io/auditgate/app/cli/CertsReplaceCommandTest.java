package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auditgate certs replace} as the real command line against the embedded store of a data
 * directory: the replacement is recorded as started (nobody to ask from the CLI), a second run
 * finds it in progress, and certificates that cannot be replaced are refused with the reason.
 */
class CertsReplaceCommandTest {
  @TempDir Path dir;

  @Test
  void startsAReplacementInTheStoreAndRefusesWhatCannotBeReplaced() throws Exception {
    Path config = dir.resolve("auditgate.yaml");
    Files.writeString(config, "gateway:\n  id: gw-cli\n  data_dir: " + dir.resolve("data") + "\n");
    String ca = dir.resolve("ca").toString();
    Path certs = dir.resolve("certs");
    assertThat(WalCommandTest.run("certs", "init", "--ca-dir", ca).exitCode()).isZero();
    WalCommandTest.Run issued =
        WalCommandTest.run(
            "certs", "issue-device", "--ca-dir", ca, "--out", certs.toString(), "dev-9");
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    String sha256 = issued.out().replaceAll("(?s).*sha256:([0-9a-f]{64}).*", "$1");
    String[] store = {"--config", config.toString(), "--ca-dir", ca};
    // Only the certificate: the import refuses the key file next to it.
    Path only = Files.createDirectories(dir.resolve("only"));
    Files.copy(certs.resolve("dev-9.crt"), only.resolve("dev-9.crt"));
    assertThat(
            WalCommandTest.run(
                    concat(new String[] {"certs", "inventory", "import", only.toString()}, store))
                .exitCode())
        .isZero();

    WalCommandTest.Run started =
        WalCommandTest.run(
            concat(
                new String[] {"certs", "replace", "--sha256", sha256, "--reason", "key_rotation"},
                store));
    assertThat(started.exitCode()).as(started.err()).isZero();
    assertThat(started.out()).startsWith("started\t" + sha256 + "\tdev-9");

    WalCommandTest.Run again =
        WalCommandTest.run(concat(new String[] {"certs", "replace", "--sha256", sha256}, store));
    assertThat(again.out()).startsWith("already_in_progress\t" + sha256);

    WalCommandTest.Run shown =
        WalCommandTest.run(concat(new String[] {"certs", "inventory", "show", sha256}, store));
    assertThat(shown.out()).contains("in_progress");

    WalCommandTest.Run unknown =
        WalCommandTest.run(
            concat(new String[] {"certs", "replace", "--sha256", "ab".repeat(32)}, store));
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).contains("no certificate");
    WalCommandTest.Run bad =
        WalCommandTest.run(concat(new String[] {"certs", "replace", "--sha256", "xyz"}, store));
    assertThat(bad.exitCode()).isNotZero();
    assertThat(bad.err()).contains("--sha256 must be 64 hex digits");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
