package io.auditgate.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.embedded.EmbeddedPostgres;
import io.auditgate.fleet.DeviceQuery;
import io.auditgate.fleet.DeviceView;
import io.auditgate.fleet.Fleet;
import io.auditgate.store.StoreOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auditgate devices import} against a real PostgreSQL, through the real command line. */
class DevicesImportCommandTest {
  private static EmbeddedPostgres postgres;

  @TempDir Path dir;

  @BeforeAll
  static void startPostgres(@TempDir Path pgDir) {
    postgres = EmbeddedPostgres.start(pgDir);
  }

  @AfterAll
  static void stopPostgres() {
    postgres.close();
  }

  @Test
  void importsAGoodFileAndRefusesABadOneWithLineNumbersWritingNothing() throws Exception {
    String url = postgres.createDatabase("import_cli");
    String user = "store.user=" + postgres.user();
    Path good = dir.resolve("devices.csv");
    Files.writeString(
        good,
        "id,name,profile,tags\n"
            + "b-l475e-0001,Kitchen,b-l475e-iot01a,site=lab\n"
            + "b-l475e-0002,Hall,b-l475e-iot01a,site=lab\n");
    Path bad = dir.resolve("more.json");
    Files.writeString(
        bad,
        "[\n  {\"id\": \"b-l475e-0003\"},\n  {\"id\": \"b-l475e-0004\", \"profile\": \"toaster\"}\n]\n");

    var imported =
        run("devices", "import", good.toString(), "--set", "store.jdbc_url=" + url, "--set", user);
    var refused =
        run("devices", "import", bad.toString(), "--set", "store.jdbc_url=" + url, "--set", user);
    var unknownFormat =
        run(
            "devices",
            "import",
            good.toString(),
            "--format",
            "xml",
            "--set",
            "store.jdbc_url=" + url);

    assertThat(imported.exitCode()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 2 devices", "2 new, 0 updated");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("nothing imported")
        .contains("more.json: line 3 (record 2): unknown_profile [profile]");
    assertThat(unknownFormat.exitCode()).isEqualTo(2);
    StoreOptions store = StoreOptions.of(url, postgres.user(), postgres.password());
    assertThat(Fleet.readModel(store, Clock.systemUTC()).devices(DeviceQuery.all()).items())
        .extracting(DeviceView::id)
        .containsExactly("b-l475e-0001", "b-l475e-0002");
  }

  private static WalCommandTest.Run run(String... args) {
    return WalCommandTest.run(args);
  }
}
