package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;

class Pbkdf2Test {
  private static final byte[] PASSWORD = "password".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SALT = "salt".getBytes(StandardCharsets.US_ASCII);

  /** The PBKDF2-HMAC-SHA256 vectors published with RFC 7914's drafts and used by every library. */
  @Test
  void matchesThePublishedTestVectors() {
    assertThat(hex(Pbkdf2.hmacSha256(PASSWORD, SALT, 1, 32)))
        .isEqualTo("120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
    assertThat(hex(Pbkdf2.hmacSha256(PASSWORD, SALT, 2, 32)))
        .isEqualTo("ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43");
    assertThat(hex(Pbkdf2.hmacSha256(PASSWORD, SALT, 4096, 32)))
        .isEqualTo("c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
  }

  @Test
  void agreesWithTheJdkForTextPasswordsAndMultiBlockOutput() throws Exception {
    byte[] salt = "saltSALTsaltSALTsaltSALTsaltSALTsalt".getBytes(StandardCharsets.US_ASCII);
    String password = "passwordPASSWORDpassword";
    byte[] jdk =
        SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
            .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 4096, 40 * 8))
            .getEncoded();

    assertThat(Pbkdf2.hmacSha256(password.getBytes(StandardCharsets.UTF_8), salt, 4096, 40))
        .isEqualTo(jdk);
  }

  @Test
  void refusesAnEmptyPassword() {
    assertThatThrownBy(() -> Pbkdf2.hmacSha256(new byte[0], SALT, 1, 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
