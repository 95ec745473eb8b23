package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code auditgate config} prints the effective tree and refuses bad keys by name. */
class ConfigCommandTest {
  @Test
  void printsEveryDefaultAndTheOverrides() {
    var run =
        WalCommandTest.run(
            "config", "--set", "wal.linger=2ms", "--set", "gateway.id=pi5-gateway-01");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("id: pi5-gateway-01")
        .contains("linger: 2ms")
        .contains("segment_size: 64MiB")
        .contains("required: true");
  }

  @Test
  void neverPrintsASecret() {
    var run =
        WalCommandTest.run(
            "config", "--set", "bridge.password=hunter2", "--set", "bridge.username=gw");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .doesNotContain("hunter2")
        .contains("password: <redacted>")
        .contains("username: gw");
  }

  @Test
  void namesTheBadKey() {
    var run = WalCommandTest.run("config", "--set", "wal.segment_size=1KiB");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("wal.segment_size: must be between 4KiB and 1GiB");
  }
}
