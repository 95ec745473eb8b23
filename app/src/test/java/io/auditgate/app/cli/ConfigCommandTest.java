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

  @Test
  void printsTheFleetMonitorAndTokenLimitKeysAndNamesTheirBadValues() {
    var defaults = WalCommandTest.run("config");
    assertThat(defaults.exitCode()).isZero();
    assertThat(defaults.out())
        .contains("fleet:\n  evaluation_interval: 5s\n  restart_window: 5m\n  read_pool_size: 4")
        .contains("max_failed_token_attempts: 10")
        .contains("failed_token_attempts_window: 1m")
        .contains("tokens_file: null");

    var set =
        WalCommandTest.run(
            "config",
            "--set",
            "fleet.evaluation_interval=2s",
            "--set",
            "fleet.restart_window=15m",
            "--set",
            "web.tokens_file=/etc/auditgate/web-tokens",
            "--set",
            "web.max_failed_token_attempts=5");
    assertThat(set.exitCode()).as(set.err()).isZero();
    assertThat(set.out())
        .contains("evaluation_interval: 2s")
        .contains("restart_window: 15m")
        .contains("tokens_file: /etc/auditgate/web-tokens")
        .contains("max_failed_token_attempts: 5");

    assertThat(WalCommandTest.run("config", "--set", "fleet.evaluation_interval=50ms").err())
        .contains("fleet.evaluation_interval: must be between");
    assertThat(WalCommandTest.run("config", "--set", "fleet.restart_window=8d").err())
        .contains("fleet.restart_window: must be between");
    assertThat(WalCommandTest.run("config", "--set", "fleet.read_pool_size=65").err())
        .contains("fleet.read_pool_size: must be between 1 and 64, got 65");
    assertThat(WalCommandTest.run("config", "--set", "web.max_failed_token_attempts=0").err())
        .contains("web.max_failed_token_attempts: must be between 1 and 100000");
    assertThat(WalCommandTest.run("config", "--set", "web.failed_token_attempts_window=0s").err())
        .contains("web.failed_token_attempts_window: must be between");
  }

  @Test
  void printsTheCertificatesTreeAndNamesItsBadValues() {
    var defaults = WalCommandTest.run("config");
    assertThat(defaults.exitCode()).as(defaults.err()).isZero();
    assertThat(defaults.out())
        .contains("\ncertificates:\n  enrolment:\n    enabled: false\n")
        .contains("\n  alerts:\n    evaluate_interval: 1m\n    webhook:")
        .contains("allow_plaintext: false")
        .doesNotContain("certificate_alerts:")
        .doesNotContain("\nenrolment:");
    assertThat(defaults.out().indexOf("\n  revocation:"))
        .as("the five subsections in their documented order")
        .isGreaterThan(defaults.out().indexOf("\n  enrolment:"))
        .isLessThan(defaults.out().indexOf("\n  inventory:"));
    assertThat(defaults.out().indexOf("\n  renewal:"))
        .isGreaterThan(defaults.out().indexOf("\n  inventory:"))
        .isLessThan(defaults.out().indexOf("\n  alerts:"));
    assertThat(
            WalCommandTest.run(
                    "config", "--set", "certificates.alerts.webhook.url=https://alerts.example/h")
                .err())
        .contains("certificates.alerts.webhook.secret_file: is required");
  }

  @Test
  void anOldTopLevelCertificateKeyIsRefusedWithItsNewPlace() {
    var moved = WalCommandTest.run("config", "--set", "certificate_alerts.evaluate_interval=2m");
    assertThat(moved.exitCode()).isNotZero();
    assertThat(moved.err())
        .contains("certificate_alerts: moved to certificates.alerts")
        .contains("--set certificates.alerts.key=value");
    assertThat(moved.out()).doesNotContain("evaluate_interval");
  }
}
