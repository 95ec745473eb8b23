package io.auditgate.controlplane.inventory;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A filtered, sorted page of the inventory. Every filter is optional and they combine with AND.
 *
 * @param status only certificates with this derived status
 * @param expiringWithinDays only certificates not yet expired whose not-after is within this many
 *     days (1..3650)
 * @param deviceId only certificates that name, are bound to, or were presented by this device
 * @param issuer only certificates with this issuer DN (RFC 2253, exact)
 * @param keyType only this key type label ({@code ec}, {@code rsa}, ...)
 * @param source only certificates seen from this kind of source
 * @param condition only certificates a posture rule counts (see {@link PostureCondition})
 * @param sort the order
 * @param descending whether the order is reversed
 * @param offset rows to skip (0..1,000,000)
 * @param limit rows to return (1..1000)
 */
public record CertificateQuery(
    Optional<CertificateStatus> status,
    OptionalInt expiringWithinDays,
    Optional<String> deviceId,
    Optional<String> issuer,
    Optional<String> keyType,
    Optional<SourceKind> source,
    Optional<PostureCondition> condition,
    CertificateSort sort,
    boolean descending,
    int offset,
    int limit) {
  public CertificateQuery {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(expiringWithinDays, "expiringWithinDays");
    expiringWithinDays.ifPresent(
        d -> {
          if (d < 1 || d > 3650) {
            throw new IllegalArgumentException("expiringWithinDays must be 1..3650, got " + d);
          }
        });
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(keyType, "keyType");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(sort, "sort");
    if (offset < 0 || offset > 1_000_000) {
      throw new IllegalArgumentException("offset must be 0..1000000, got " + offset);
    }
    if (limit < 1 || limit > 1000) {
      throw new IllegalArgumentException("limit must be 1..1000, got " + limit);
    }
  }

  /** Everything, soonest expiry first, 100 per page. */
  public static CertificateQuery all() {
    return new CertificateQuery(
        Optional.empty(),
        OptionalInt.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        CertificateSort.NOT_AFTER,
        false,
        0,
        100);
  }

  public CertificateQuery withStatus(CertificateStatus s) {
    return new CertificateQuery(
        Optional.of(s),
        expiringWithinDays,
        deviceId,
        issuer,
        keyType,
        source,
        condition,
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery withExpiringWithinDays(int days) {
    return new CertificateQuery(
        status,
        OptionalInt.of(days),
        deviceId,
        issuer,
        keyType,
        source,
        condition,
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery withDevice(String device) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        Optional.of(device),
        issuer,
        keyType,
        source,
        condition,
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery withIssuer(String dn) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        deviceId,
        Optional.of(dn),
        keyType,
        source,
        condition,
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery withKeyType(String type) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        deviceId,
        issuer,
        Optional.of(type),
        source,
        condition,
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery withSource(SourceKind kind) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        deviceId,
        issuer,
        keyType,
        Optional.of(kind),
        condition,
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery withCondition(PostureCondition c) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        deviceId,
        issuer,
        keyType,
        source,
        Optional.of(c),
        sort,
        descending,
        offset,
        limit);
  }

  public CertificateQuery sortedBy(CertificateSort by, boolean desc) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        deviceId,
        issuer,
        keyType,
        source,
        condition,
        by,
        desc,
        offset,
        limit);
  }

  public CertificateQuery page(int newOffset, int newLimit) {
    return new CertificateQuery(
        status,
        expiringWithinDays,
        deviceId,
        issuer,
        keyType,
        source,
        condition,
        sort,
        descending,
        newOffset,
        newLimit);
  }
}
