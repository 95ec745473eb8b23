package io.auditgate.controlplane.alerts;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's signature: {@code sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>}, sent
 * in {@code X-Auditgate-Signature} with the timestamp (epoch seconds) in {@code
 * X-Auditgate-Timestamp}. Signing the timestamp with the body lets a receiver refuse a replayed
 * request by its age; comparing in constant time keeps the secret from leaking through timing.
 *
 * <p>Thread-safe: stateless.
 */
public final class WebhookSignature {
  public static final String SIGNATURE_HEADER = "X-Auditgate-Signature";
  public static final String TIMESTAMP_HEADER = "X-Auditgate-Timestamp";
  public static final String DELIVERY_HEADER = "X-Auditgate-Delivery";
  private static final String PREFIX = "sha256=";

  private WebhookSignature() {}

  /** The header value for {@code body} sent at {@code epochSeconds}. */
  public static String sign(byte[] secret, long epochSeconds, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(mac(secret, epochSeconds, body));
  }

  /** Whether {@code header} is the signature of {@code body} sent at {@code epochSeconds}. */
  public static boolean verify(byte[] secret, long epochSeconds, byte[] body, String header) {
    if (header == null || !header.startsWith(PREFIX)) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(header.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, mac(secret, epochSeconds, body));
  }

  private static byte[] mac(byte[] secret, long epochSeconds, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update((epochSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
