package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened: it must run on nothing but the JDK and reconcile. */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void boardsPublishOverMutualTlsAndEveryAcknowledgedMessageIsInTheLog() {
    var run =
        WalCommandTest.run(
            "demo",
            "--devices",
            "2",
            "--rate",
            "10",
            "--duration",
            "2s",
            "--data-dir",
            dir.toString());
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("development CA issued the gateway's certificate and 2 board certificates")
        .contains("restarted: clean shutdown")
        .contains("every acknowledged message is in the log.")
        .containsPattern("b-l475e-0001 +\\d+ +(\\d+) +\\1 +0 +0");
    assertThat(dir.resolve("wal")).isDirectory();
  }
}
