package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code auditgate certs inventory import|list|show|posture|scan} as the real command line against
 * the embedded store of a data directory and real certificate files.
 */
class CertsInventoryCommandTest {
  @TempDir Path dir;

  @Test
  void importsListsShowsSummarisesAndScans() throws Exception {
    Path config = dir.resolve("auditgate.yaml");
    Files.writeString(config, "gateway:\n  id: gw-cli\n  data_dir: " + dir.resolve("data") + "\n");
    String ca = dir.resolve("ca").toString();
    Path certs = dir.resolve("certs");
    assertThat(WalCommandTest.run("certs", "init", "--ca-dir", ca).exitCode()).isZero();
    WalCommandTest.Run issued =
        WalCommandTest.run(
            "certs", "issue-device", "--ca-dir", ca, "--out", certs.toString(), "dev-7");
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    String sha256 = issued.out().replaceAll("(?s).*sha256:([0-9a-f]{64}).*", "$1");
    Files.writeString(certs.resolve("junk.txt"), "not a certificate");
    String[] store = {"--config", config.toString(), "--ca-dir", ca};

    WalCommandTest.Run imported =
        WalCommandTest.run(
            concat(new String[] {"certs", "inventory", "import", certs.toString()}, store));
    assertThat(imported.exitCode()).as("one file refused").isEqualTo(1);
    assertThat(imported.out())
        .contains("imported " + certs.resolve("dev-7.crt") + " (pem): 2 certificates, 2 new")
        .contains("refused  " + certs.resolve("junk.txt") + ": not_a_certificate");

    WalCommandTest.Run listed =
        WalCommandTest.run(
            concat(new String[] {"certs", "inventory", "list", "--device", "dev-7"}, store));
    assertThat(listed.exitCode()).as(listed.err()).isZero();
    assertThat(listed.out()).contains("active").contains(sha256).contains("device=dev-7");

    WalCommandTest.Run shown =
        WalCommandTest.run(concat(new String[] {"certs", "inventory", "show", sha256}, store));
    assertThat(shown.out())
        .contains("subject:     CN=dev-7")
        .contains("trusted:     yes")
        .contains("seen:        file " + certs.resolve("dev-7.crt").toAbsolutePath());

    WalCommandTest.Run posture =
        WalCommandTest.run(concat(new String[] {"certs", "inventory", "posture"}, store));
    assertThat(posture.out()).contains("total 2").contains("status active 2").contains("unbound 1");
    WalCommandTest.Run unbound =
        WalCommandTest.run(
            concat(new String[] {"certs", "inventory", "list", "--condition", "unbound"}, store));
    assertThat(unbound.exitCode()).as(unbound.err()).isZero();
    assertThat(unbound.out()).contains(sha256).contains("1 of 1");

    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    WalCommandTest.Run scanned =
        WalCommandTest.run(
            concat(
                new String[] {
                  "certs", "inventory", "scan", "127.0.0.1:" + closedPort, "--timeout-seconds", "2"
                },
                store));
    assertThat(scanned.exitCode()).isEqualTo(1);
    assertThat(scanned.out()).contains("127.0.0.1:" + closedPort + "  failed: refused");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
