package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class SecretHashTest {
  private static final byte[] SECRET = "hunter2".getBytes(StandardCharsets.UTF_8);

  @Test
  void aHashMatchesItsSecretOnly() {
    SecretHash hash = SecretHash.create(SECRET, 1_000, new SecureRandom());

    assertThat(hash.matches(SECRET)).isTrue();
    assertThat(hash.matches("hunter3".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(hash.matches("hunter2 ".getBytes(StandardCharsets.UTF_8))).isFalse();
  }

  @Test
  void theSameSecretHashesDifferentlyEachTime() {
    SecretHash a = SecretHash.create(SECRET, 1_000, new SecureRandom());
    SecretHash b = SecretHash.create(SECRET, 1_000, new SecureRandom());

    assertThat(a).isNotEqualTo(b);
    assertThat(a.salt()).isNotEqualTo(b.salt());
  }

  @Test
  void roundTripsThroughThePhcString() {
    SecretHash hash = SecretHash.create(SECRET, 1_000, new SecureRandom());

    String encoded = hash.encode();
    SecretHash parsed = SecretHash.parse(encoded);

    assertThat(encoded)
        .matches("^\\$pbkdf2-sha256\\$i=1000\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$");
    assertThat(parsed).isEqualTo(hash);
    assertThat(parsed.matches(SECRET)).isTrue();
  }

  @Test
  void readsAHashMadeByAnotherImplementation() {
    // Python: hashlib.pbkdf2_hmac("sha256", b"password", b"saltsaltsaltsalt", 1000), PHC-encoded.
    String fixture =
        "$pbkdf2-sha256$i=1000$c2FsdHNhbHRzYWx0c2FsdA$8nX7hwFEzIB8aPajJTYK8weHQc5Ngz0pFVAKvSu4jQA";

    SecretHash parsed = SecretHash.parse(fixture);

    assertThat(parsed.iterations()).isEqualTo(1000);
    assertThat(parsed.salt()).isEqualTo("saltsaltsaltsalt".getBytes(StandardCharsets.US_ASCII));
    assertThat(parsed.matches("password".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(parsed.matches("Password".getBytes(StandardCharsets.UTF_8))).isFalse();
    assertThat(parsed.encode()).isEqualTo(fixture);
  }

  @Test
  void refusesMalformedStrings() {
    assertThatThrownBy(() -> SecretHash.parse("$pbkdf2-sha1$i=1000$c2FsdA$aGFzaA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretHash.parse("$pbkdf2-sha256$i=1000$c2FsdHNhbHQ$aGFzaA"))
        .as("hash too short")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretHash.parse("$pbkdf2-sha256$i=0$c2FsdHNhbHQ$aGFzaA"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SecretHash.parse("plaintext-password"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theDefaultIsAtLeast210000Rounds() {
    assertThat(SecretHash.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(210_000);
    String encoded = CredentialsFile.hashSecret("hunter2".toCharArray());

    assertThat(SecretHash.parse(encoded).iterations()).isEqualTo(SecretHash.DEFAULT_ITERATIONS);
    assertThat(SecretHash.parse(encoded).matches(SECRET)).isTrue();
  }

  @Test
  void neverPrintsTheHash() {
    SecretHash hash = SecretHash.create(SECRET, 1_000, new SecureRandom());

    assertThat(hash.toString()).doesNotContain(hash.encode().split("\\$")[4]);
  }
}
