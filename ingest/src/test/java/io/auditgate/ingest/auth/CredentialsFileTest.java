package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.core.config.ConfigException;
import io.auditgate.ingest.auth.CredentialStore.Verification;
import io.auditgate.ingest.auth.DeviceCredentials.SecretKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsFileTest {
  private static final int ROUNDS = 1_000;

  @TempDir Path dir;

  @Test
  void writesAndReadsBackTheSameDevices() {
    Path file = dir.resolve("credentials.jsonl");
    SecretHash password =
        SecretHash.parse(CredentialsFile.hashSecret("pw-1".toCharArray(), ROUNDS));
    SecretHash token =
        SecretHash.parse(CredentialsFile.hashSecret("sensor-02.tok".toCharArray(), ROUNDS));
    CredentialStore store =
        CredentialStore.of(
            List.of(
                new DeviceCredentials("sensor-01", Optional.of(password), Optional.empty()),
                new DeviceCredentials("sensor-02", Optional.of(password), Optional.of(token))));

    CredentialsFile.write(file, store);
    CredentialStore read = CredentialsFile.read(file);

    assertThat(read.devices()).isEqualTo(store.devices());
    assertThat(read.verify("sensor-01", SecretKind.PASSWORD, bytes("pw-1")))
        .isEqualTo(Verification.MATCH);
    assertThat(read.verify("sensor-02", SecretKind.TOKEN, bytes("sensor-02.tok")))
        .isEqualTo(Verification.MATCH);
  }

  @Test
  void theFileHoldsHashesOnlyAndOnlyItsOwnerCanReadIt() throws Exception {
    Path file = dir.resolve("credentials.jsonl");
    CredentialStore store =
        CredentialStore.empty()
            .with(
                new DeviceCredentials(
                    "sensor-01",
                    Optional.of(
                        SecretHash.parse(
                            CredentialsFile.hashSecret("plain-secret".toCharArray(), ROUNDS))),
                    Optional.empty()));

    CredentialsFile.write(file, store);

    String text = Files.readString(file);
    assertThat(text).doesNotContain("plain-secret").contains("\"device_id\":\"sensor-01\"");
    assertThat(text.lines().filter(l -> !l.startsWith("#"))).hasSize(1);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void readsTheDocumentedFormat() throws Exception {
    String hash =
        "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$8nX7hwFEzIB8aPajJTYK8weHQc5Ngz0pFVAKvSu4jQA";
    Path file =
        Files.writeString(
            dir.resolve("c.jsonl"),
            "# devices\n\n{\"device_id\":\"sensor-01\",\"password\":\"" + hash + "\"}\n");

    CredentialStore store = CredentialsFile.read(file);

    assertThat(store.verify("sensor-01", SecretKind.PASSWORD, bytes("password")))
        .isEqualTo(Verification.MATCH);
  }

  @Test
  void mistakesAreReportedWithTheirLine() throws Exception {
    String hash = CredentialsFile.hashSecret("x".toCharArray(), ROUNDS);

    assertThat(problem("{\"device_id\":\"a\",\"password\":\"" + hash + "\"}\n{not json}\n"))
        .contains("line 2")
        .contains("not valid JSON");
    assertThat(problem("{\"device_id\":\"a\",\"password\":\"hunter2\"}\n"))
        .contains("line 1")
        .contains("password")
        .contains("pbkdf2-sha256");
    assertThat(problem("{\"device_id\":\"a b\",\"password\":\"" + hash + "\"}\n"))
        .contains("line 1")
        .contains("device id");
    assertThat(problem("{\"device_id\":\"a\"}\n")).contains("needs a password or a token");
    assertThat(problem("{\"device_id\":\"a\",\"pasword\":\"" + hash + "\"}\n"))
        .contains("unknown field 'pasword'");
    assertThat(
            problem(
                "{\"device_id\":\"a\",\"password\":\""
                    + hash
                    + "\"}\n{\"device_id\":\"a\",\"token\":\""
                    + hash
                    + "\"}\n"))
        .contains("appears twice");
  }

  @Test
  void aMissingFileIsAConfigurationError() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> CredentialsFile.read(dir.resolve("absent.jsonl")));

    assertThat(e.key()).isEqualTo("credentials_file");
    assertThat(e.problem()).contains("no such file");
  }

  @Test
  void addingACredentialReplacesTheDevicesEntry() {
    Path file = dir.resolve("credentials.jsonl");
    SecretHash first = SecretHash.parse(CredentialsFile.hashSecret("one".toCharArray(), ROUNDS));
    SecretHash second = SecretHash.parse(CredentialsFile.hashSecret("two".toCharArray(), ROUNDS));
    CredentialsFile.write(
        file,
        CredentialStore.empty()
            .with(new DeviceCredentials("d", Optional.of(first), Optional.empty())));

    CredentialStore store = CredentialsFile.read(file);
    CredentialsFile.write(file, store.with(store.get("d").orElseThrow().withPassword(second)));

    CredentialStore updated = CredentialsFile.read(file);
    assertThat(updated.devices()).hasSize(1);
    assertThat(updated.verify("d", SecretKind.PASSWORD, bytes("two")))
        .isEqualTo(Verification.MATCH);
    assertThat(updated.verify("d", SecretKind.PASSWORD, bytes("one")))
        .isEqualTo(Verification.WRONG_SECRET);
  }

  private String problem(String content) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.jsonl"), content);
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> CredentialsFile.read(file));
    assertThat(e).as("no exception for %s", content).isNotNull();
    assertThat(e.key()).isEqualTo("credentials_file");
    return e.problem();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
