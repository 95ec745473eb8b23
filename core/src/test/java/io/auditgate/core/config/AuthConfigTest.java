package io.auditgate.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AuthConfigTest {
  @Test
  void authenticationIsRequiredUnlessSwitchedOff() {
    assertThat(AuthConfig.defaults().required()).isTrue();
    assertThat(AuthConfig.defaults().allowsAnonymous()).isFalse();
    assertThat(new AuthConfig(true, null).allowsAnonymous()).isFalse();
    assertThat(new AuthConfig(false, null).allowsAnonymous()).isTrue();
  }

  @Test
  void theCredentialsFileIsOptional() {
    assertThat(AuthConfig.defaults().optionalCredentialsFile()).isEmpty();
    assertThat(new AuthConfig(null, Path.of("creds.jsonl")).optionalCredentialsFile())
        .contains(Path.of("creds.jsonl"));
  }
}
