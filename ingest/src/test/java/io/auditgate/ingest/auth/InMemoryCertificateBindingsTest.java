package io.auditgate.ingest.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.ingest.auth.InMemoryCertificateBindings.BindOutcome;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryCertificateBindingsTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);

  @Test
  void aCertificateIsBoundToOneDeviceOnly() {
    InMemoryCertificateBindings bindings = new InMemoryCertificateBindings();

    assertThat(bindings.bind("d1", A)).isEqualTo(BindOutcome.BOUND);
    assertThat(bindings.bind("d1", A)).isEqualTo(BindOutcome.ALREADY_BOUND);
    assertThat(bindings.bind("d2", A)).isEqualTo(BindOutcome.BOUND_TO_OTHER_DEVICE);
    assertThat(bindings.deviceOf(A)).contains("d1");
    assertThat(bindings.fingerprintsOf("d2")).isEmpty();
  }

  @Test
  void aDeviceMayHoldSeveralCertificatesDuringAReplacement() {
    InMemoryCertificateBindings bindings = new InMemoryCertificateBindings();
    bindings.bind("d1", A);
    bindings.bind("d1", B);

    assertThat(bindings.fingerprintsOf("d1")).contains(Set.of(A, B));
    assertThat(bindings.unbind("d1", A)).isTrue();
    assertThat(bindings.fingerprintsOf("d1")).contains(Set.of(B));
    assertThat(bindings.unbind("d1", B)).isTrue();
    assertThat(bindings.fingerprintsOf("d1")).as("no binding left: unbound again").isEmpty();
    assertThat(bindings.unbind("d1", B)).isFalse();
  }

  @Test
  void fingerprintsAreNormalised() {
    InMemoryCertificateBindings bindings = new InMemoryCertificateBindings();
    String colons = String.join(":", "AB".repeat(32).split("(?<=\\G..)"));

    bindings.bind("d1", colons);

    assertThat(bindings.deviceOf("ab".repeat(32))).contains("d1");
    assertThatThrownBy(() -> bindings.bind("d1", "abc"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
