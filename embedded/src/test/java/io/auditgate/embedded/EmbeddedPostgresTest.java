package io.auditgate.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedPostgresTest {
  @TempDir Path dir;

  @Test
  void runsDurablyAndKeepsItsDataAndPortAcrossARestart() throws SQLException {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("pg"))) {
      String url = postgres.createDatabase("kept");
      try (Connection c = connect(postgres, url);
          Statement s = c.createStatement()) {
        assertThat(setting(s, "fsync")).isEqualTo("on");
        assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
        assertThat(setting(s, "full_page_writes")).isEqualTo("on");
        s.execute("CREATE TABLE t (v int)");
        s.execute("INSERT INTO t VALUES (42)");
      }
      int port = postgres.port();

      postgres.stop();
      assertThat(postgres.isRunning()).isFalse();
      assertThatThrownBy(() -> connect(postgres, url)).isInstanceOf(SQLException.class);

      postgres.start();
      assertThat(postgres.port()).isEqualTo(port);
      try (Connection c = connect(postgres, url);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT v FROM t")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(42);
      }
    }
  }

  @Test
  void aNewInstanceOpensTheDataOfAClosedOne() throws SQLException {
    Path data = dir.resolve("pg2");
    try (EmbeddedPostgres first = EmbeddedPostgres.start(data)) {
      first.createDatabase("carried");
    }
    try (EmbeddedPostgres second = EmbeddedPostgres.start(data);
        Connection c = connect(second, second.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'carried'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void startsOnTheDataOfAKilledProcessWhoseServerWasLeftRunning() throws Exception {
    Path data = dir.resolve("orphaned");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                OrphaningChild.class.getName(),
                data.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes());
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isEqualTo(9);
    long orphan = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive))
        .as("the killed process left its server running")
        .contains(true);

    try (EmbeddedPostgres next = EmbeddedPostgres.start(data);
        Connection c = connect(next, next.jdbcUrl());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'before_the_kill'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the killed process's data is still there").isEqualTo(1);
      assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive))
          .as("the orphaned server was stopped")
          .isEmpty();
    }
  }

  @Test
  void aThrowawayServerStopsAndDeletesItsDataWhenTheJvmExits() throws Exception {
    Path tmp = Files.createDirectories(dir.resolve("tmp"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-Djava.io.tmpdir=" + tmp,
                "-cp",
                System.getProperty("java.class.path"),
                ThrowawayChild.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes());
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as(output).isZero();
    Path data =
        Path.of(
            output
                .lines()
                .filter(l -> l.startsWith("data "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no data line in " + output))
                .substring(5));
    assertThat(data).as(output).startsWithRaw(tmp);
    assertThat(data).as("the data directory is deleted at exit").doesNotExist();
  }

  private static Connection connect(EmbeddedPostgres postgres, String url) throws SQLException {
    return DriverManager.getConnection(url, postgres.user(), postgres.password());
  }

  private static String setting(Statement s, String name) throws SQLException {
    try (ResultSet rs = s.executeQuery("SHOW " + name)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
