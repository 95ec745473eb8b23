package io.auditgate.controlplane.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One certificate as lists show it: its main facts, its derived status and when it was seen.
 *
 * @param keyType {@code ec}, {@code rsa}, {@code ed25519}, {@code ed448}, {@code dsa} or {@code
 *     other}
 * @param weaknesses reason codes ({@code rsa_key_under_2048}, {@code sha1_signature}, {@code
 *     md5_signature})
 * @param trustReason why the chain is not trusted, when it is not
 * @param replacedBy the newer certificate naming the same device, if any
 */
public record CertificateSummary(
    String sha256,
    String subject,
    String issuer,
    String serialHex,
    String keyType,
    int keyBits,
    String signatureAlgorithm,
    Instant notBefore,
    Instant notAfter,
    boolean ca,
    Optional<String> deviceId,
    List<String> weaknesses,
    boolean trusted,
    Optional<String> trustReason,
    Optional<String> replacedBy,
    CertificateStatus status,
    Instant firstSeenAt,
    Instant lastSeenAt) {
  public CertificateSummary {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(serialHex, "serialHex");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(signatureAlgorithm, "signatureAlgorithm");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
    Objects.requireNonNull(deviceId, "deviceId");
    weaknesses = List.copyOf(Objects.requireNonNull(weaknesses, "weaknesses"));
    Objects.requireNonNull(trustReason, "trustReason");
    Objects.requireNonNull(replacedBy, "replacedBy");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(firstSeenAt, "firstSeenAt");
    Objects.requireNonNull(lastSeenAt, "lastSeenAt");
  }
}
