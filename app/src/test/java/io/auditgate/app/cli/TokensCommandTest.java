package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auditgate tokens create|list|revoke} against the embedded store of a data directory. */
class TokensCommandTest {
  @TempDir Path dir;

  @Test
  void createsListsAndRevokesTokensWithoutEverPrintingOneTwice() throws Exception {
    Path config = dir.resolve("auditgate.yaml");
    Files.writeString(config, "gateway:\n  id: gw-cli\n  data_dir: " + dir.resolve("data") + "\n");

    WalCommandTest.Run created =
        WalCommandTest.run(
            "tokens",
            "create",
            "--name",
            "grafana",
            "--scope",
            "read,metrics",
            "--config",
            config.toString());
    assertThat(created.exitCode()).as(created.err()).isZero();
    String token = created.out().trim();
    assertThat(token).matches("^agt_[A-Za-z0-9_-]{43}$");
    assertThat(created.err()).contains("metrics,read").contains("only this once");

    WalCommandTest.Run listed = WalCommandTest.run("tokens", "list", "--config", config.toString());
    assertThat(listed.exitCode()).isZero();
    assertThat(listed.out())
        .contains("grafana")
        .contains("metrics,read")
        .doesNotContain(token.substring(4));

    assertThat(
            WalCommandTest.run("tokens", "revoke", "1", "--config", config.toString()).exitCode())
        .isZero();
    WalCommandTest.Run after = WalCommandTest.run("tokens", "list", "--config", config.toString());
    assertThat(after.out().lines().filter(l -> l.contains("grafana")).findFirst().orElseThrow())
        .doesNotEndWith("-");
    assertThat(
            WalCommandTest.run("tokens", "revoke", "99", "--config", config.toString()).exitCode())
        .isEqualTo(1);
    WalCommandTest.Run badScope =
        WalCommandTest.run(
            "tokens", "create", "--name", "x", "--scope", "root", "--config", config.toString());
    assertThat(badScope.exitCode()).isEqualTo(2);
    assertThat(badScope.err()).contains("unknown scope 'root'");
  }
}
