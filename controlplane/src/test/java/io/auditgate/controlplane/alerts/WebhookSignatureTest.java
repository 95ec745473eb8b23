package io.auditgate.controlplane.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final byte[] SECRET = "0123456789abcdef0123".getBytes(StandardCharsets.UTF_8);
  private static final byte[] BODY = "{\"event\":\"x\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void matchesAnIndependentlyComputedHmacOfTimestampDotBody() throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(SECRET, "HmacSHA256"));
    byte[] expected = mac.doFinal("1700000000.{\"event\":\"x\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(WebhookSignature.sign(SECRET, 1_700_000_000L, BODY))
        .isEqualTo("sha256=" + java.util.HexFormat.of().formatHex(expected));
  }

  @Test
  void verifiesOnlyTheSameBodyTimestampAndSecret() {
    String header = WebhookSignature.sign(SECRET, 1_700_000_000L, BODY);

    assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, header)).isTrue();
    assertThat(WebhookSignature.verify(SECRET, 1_700_000_001L, BODY, header)).isFalse();
    assertThat(
            WebhookSignature.verify(
                SECRET,
                1_700_000_000L,
                "{\"event\":\"y\"}".getBytes(StandardCharsets.UTF_8),
                header))
        .isFalse();
    assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, "sha256=zz")).isFalse();
    assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, null)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, 1_700_000_000L, BODY, header.substring(7)))
        .isFalse();
  }
}
