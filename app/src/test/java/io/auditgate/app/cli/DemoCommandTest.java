package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, shortened: with nothing but the JDK it runs Kafka, PostgreSQL, the
 * store consumer and a gateway child process, stages a Kafka outage and a gateway SIGKILL, and
 * reconciles every acknowledged message against the database.
 */
class DemoCommandTest {
  @TempDir Path dir;

  @Test
  void theFieldDemoLosesNothingThroughAKafkaOutageAndAGatewayKill() {
    var run =
        WalCommandTest.run(
            "demo",
            "--devices",
            "2",
            "--rate",
            "10",
            "--duration",
            "20s",
            "--data-dir",
            dir.toString());

    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.out())
        .contains("development CA issued the gateway's certificate and 2 board certificates")
        .contains("Kafka down")
        .contains("gateway killed (-9)")
        .contains("gateway restarted")
        .contains("every acknowledged message is stored exactly once.")
        // device, sent, acknowledged, stored, lost 0, duplicates 0, stored but ack not seen
        .containsPattern("b-l475e-0001 +\\d+ +\\d+ +\\d+ +0 +0 +\\d+")
        .containsPattern("b-l475e-0002 +\\d+ +\\d+ +\\d+ +0 +0 +\\d+")
        .containsPattern("upstream_interrupted +\\{\"sink\": \"kafka\"")
        .containsPattern("upstream_restored +\\{\"sink\": \"kafka\"")
        .containsPattern("recovered +\\{.*\"clean_shutdown\": \"false\"")
        .containsPattern(
            "dashboard: https://127\\.0\\.0\\.1:\\d+/dashboard/#token=agt_[A-Za-z0-9_-]{43}")
        // the inventory's posture: board 1's certificate expires in 10 days, board 2's is revoked
        // and still connects (the demo's gateway fetches no CRL)
        .contains("certificates: revoked as compromised: b-l475e-0002's certificate: Revoked")
        .containsPattern(
            "certificate posture: \\d+ certificates: .*1 expiring soon, 1 revoked; 1 revoked still"
                + " connecting");
    assertThat(dir.resolve("gateway/wal")).isDirectory();
    assertThat(dir.resolve("postgres")).isDirectory();
  }
}
