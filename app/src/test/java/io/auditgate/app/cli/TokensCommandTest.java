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
    WalCommandTest.Run admin =
        WalCommandTest.run(
            "tokens",
            "create",
            "--name",
            "ca-ops",
            "--scope",
            "admin",
            "--config",
            config.toString());
    assertThat(admin.exitCode()).as("revocation needs an admin token: " + admin.err()).isZero();
    assertThat(admin.err()).contains("admin");
  }

  @Test
  void createWithFileAppendsAHashLineWithoutAStoreAndRefusesADuplicateName() throws Exception {
    Path file = dir.resolve("web-tokens");

    WalCommandTest.Run created =
        WalCommandTest.run(
            "tokens", "create", "--file", file.toString(), "--name", "prom", "--scope", "metrics");
    assertThat(created.exitCode()).as(created.err()).isZero();
    String token = created.out().trim();
    assertThat(token).matches("^agt_[A-Za-z0-9_-]{43}$");
    assertThat(created.err()).contains("only this once").contains("restart the node");
    String sha256 =
        java.util.HexFormat.of()
            .formatHex(
                java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(Files.readAllLines(file)).contains(sha256 + " metrics prom");
    assertThat(Files.readString(file)).doesNotContain(token);
    assertThat(dir.resolve("data")).as("no store was started").doesNotExist();

    WalCommandTest.Run again =
        WalCommandTest.run(
            "tokens", "create", "--file", file.toString(), "--name", "prom", "--scope", "read");
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("duplicate_name");
    assertThat(again.out()).isEmpty();

    WalCommandTest.Run admin =
        WalCommandTest.run(
            "tokens", "create", "--file", file.toString(), "--name", "ca", "--scope", "admin");
    assertThat(admin.exitCode()).isEqualTo(2);
    assertThat(admin.err()).contains("admin tokens live in the store only");
    assertThat(Files.readString(file)).doesNotContain(" ca\n");
  }
}
