package io.auditgate.web.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tokens file: its format byte by byte, every refusal with its line, and appending. */
class TokensFileTest {
  private static final Instant AT = Instant.parse("2026-11-28T12:00:00Z");
  @TempDir Path dir;

  private static String hash(String secret) {
    return HexFormat.of().formatHex(TokenSecret.sha256(secret));
  }

  @Test
  void aValidFileAuthenticatesByHashWithTheScopesAndNameOfItsLine() {
    String scraper = TokenSecret.generate();
    String ops = TokenSecret.generate();
    List<String> lines =
        List.of(
            "# comment",
            "",
            hash(scraper) + " metrics prometheus edge 1",
            // upper-case hex and tabs are accepted too
            hash(ops).toUpperCase() + "\tread,write\t ops ");

    TokensFile file = loaded(TokensFile.parse(lines, AT));

    assertThat(file.size()).isEqualTo(2);
    ApiToken s = file.authenticate(scraper).orElseThrow();
    assertThat(s.name()).isEqualTo("prometheus edge 1");
    assertThat(s.scopes()).containsExactly(Scope.METRICS);
    assertThat(s.id()).as("the line number").isEqualTo(3);
    assertThat(s.createdAt()).isEqualTo(AT);
    ApiToken o = file.authenticate(ops).orElseThrow();
    assertThat(o.name()).isEqualTo("ops");
    assertThat(o.scopes()).containsExactlyInAnyOrder(Scope.READ, Scope.WRITE);
    assertThat(file.authenticate(TokenSecret.generate())).isEmpty();
    assertThat(file.authenticate(hash(scraper))).as("the hash is not the token").isEmpty();
    assertThat(file.authenticate("garbage")).isEmpty();
  }

  @Test
  void eachBadLineIsRefusedWithItsNumberAndReason() {
    String h = hash(TokenSecret.generate());
    assertInvalid(List.of("# ok", h + " metrics"), 2, "missing_fields");
    assertInvalid(List.of(TokenSecret.generate() + " metrics scraper"), 1, "invalid_hash");
    assertInvalid(List.of(h.substring(1) + " metrics scraper"), 1, "invalid_hash");
    assertInvalid(List.of(h + " metrics,root scraper"), 1, "unknown_scope");
    assertInvalid(List.of(h + " admin scraper"), 1, "unknown_scope");
    assertInvalid(List.of(h + " metrics, scraper"), 1, "unknown_scope");
    assertInvalid(List.of(h + " metrics " + "x".repeat(101)), 1, "invalid_name");
    assertInvalid(
        List.of(h + " metrics a", hash(TokenSecret.generate()) + " read a"), 2, "duplicate_name");
    assertInvalid(List.of(h + " metrics a", "", h.toUpperCase() + " read b"), 3, "duplicate_hash");
  }

  @Test
  void aMissingFileIsReportedNotThrown() {
    TokensFile.Parsed parsed = TokensFile.read(dir.resolve("absent"));
    assertThat(parsed).isInstanceOf(TokensFile.Invalid.class);
    assertThat(((TokensFile.Invalid) parsed).reason()).isEqualTo("not_found");
    assertThat(((TokensFile.Invalid) parsed).describe()).startsWith("not_found: no such file");
  }

  @Test
  void appendCreatesTheFileOwnerOnlyAndTheSecretAuthenticatesFromTheReadFile() throws Exception {
    Path file = dir.resolve("etc/tokens");

    TokensFile.Created first =
        (TokensFile.Created) TokensFile.append(file, "scraper", EnumSet.of(Scope.METRICS));
    TokensFile.Created second =
        (TokensFile.Created)
            TokensFile.append(file, "ops team", EnumSet.of(Scope.READ, Scope.METRICS));

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).startsWith("#");
    assertThat(lines.get(first.line() - 1))
        .isEqualTo(hash(first.issued().secret()) + " metrics scraper");
    assertThat(lines.get(second.line() - 1))
        .isEqualTo(hash(second.issued().secret()) + " metrics,read ops team");
    assertThat(String.join("\n", lines))
        .doesNotContain(first.issued().secret())
        .doesNotContain(second.issued().secret());
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }

    TokensFile read = loaded(TokensFile.read(file));
    assertThat(read.authenticate(first.issued().secret()).orElseThrow().scopes())
        .containsExactly(Scope.METRICS);
    assertThat(read.authenticate(second.issued().secret()).orElseThrow().name())
        .isEqualTo("ops team");
  }

  @Test
  void appendRefusesADuplicateNameAndABrokenFileAndAppendsNothing() throws Exception {
    Path file = dir.resolve("tokens");
    TokensFile.append(file, "scraper", Set.of(Scope.METRICS));
    byte[] before = Files.readAllBytes(file);

    TokensFile.Appended again = TokensFile.append(file, "scraper", Set.of(Scope.READ));
    assertThat(again).isInstanceOf(TokensFile.Invalid.class);
    assertThat(((TokensFile.Invalid) again).reason()).isEqualTo("duplicate_name");
    assertThat(Files.readAllBytes(file)).isEqualTo(before);

    // A file edited by hand without a final newline still gets a line of its own.
    Path edited = dir.resolve("edited");
    Files.writeString(edited, hash(TokenSecret.generate()) + " metrics a");
    TokensFile.Created added =
        (TokensFile.Created) TokensFile.append(edited, "b", Set.of(Scope.METRICS));
    assertThat(loaded(TokensFile.read(edited)).size()).isEqualTo(2);
    assertThat(added.line()).isEqualTo(2);

    Path broken = dir.resolve("broken");
    Files.writeString(broken, "# ok\nagt_not_a_hash metrics c\n");
    TokensFile.Appended refused = TokensFile.append(broken, "c", Set.of(Scope.METRICS));
    assertThat(((TokensFile.Invalid) refused).describe()).startsWith("line 2: invalid_hash");
    assertThat(Files.readString(broken)).isEqualTo("# ok\nagt_not_a_hash metrics c\n");

    assertThatThrownBy(() -> TokensFile.append(file, "x", Set.of(Scope.ADMIN)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TokensFile.append(file, " x", Set.of(Scope.READ)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentAppendsNeitherInterleaveNorLoseALine() throws Exception {
    Path file = dir.resolve("shared");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<TokensFile.Appended>> appends = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      String name = "scraper-" + i;
      appends.add(threads.submit(() -> TokensFile.append(file, name, Set.of(Scope.METRICS))));
    }
    List<String> secrets = new ArrayList<>();
    for (Future<TokensFile.Appended> a : appends) {
      secrets.add(((TokensFile.Created) a.get()).issued().secret());
    }
    threads.shutdown();
    TokensFile read = loaded(TokensFile.read(file));
    assertThat(read.size()).isEqualTo(16);
    for (String secret : secrets) {
      assertThat(read.authenticate(secret)).isPresent();
    }
  }

  private static TokensFile loaded(TokensFile.Parsed parsed) {
    assertThat(parsed).as(parsed.toString()).isInstanceOf(TokensFile.Loaded.class);
    return ((TokensFile.Loaded) parsed).tokens();
  }

  private static void assertInvalid(List<String> lines, int line, String reason) {
    TokensFile.Parsed parsed = TokensFile.parse(lines, AT);
    assertThat(parsed).as(lines.toString()).isInstanceOf(TokensFile.Invalid.class);
    TokensFile.Invalid invalid = (TokensFile.Invalid) parsed;
    assertThat(invalid.line()).as(invalid.describe()).isEqualTo(line);
    assertThat(invalid.reason()).as(invalid.describe()).isEqualTo(reason);
    assertThat(invalid.describe()).startsWith("line " + line + ": " + reason + ": ");
  }
}
