package io.auditgate.fleet;

import java.util.Objects;
import java.util.Optional;

/**
 * Which devices to list, in which order. Filters combine with AND; an empty filter matches all.
 *
 * @param gatewayId devices last seen through this gateway
 * @param tag a tag the device must carry with exactly this value
 * @param text a case-insensitive substring of the id or the name
 * @param limit 1..1000
 * @param offset ≥ 0
 */
public record DeviceQuery(
    Optional<DeviceState> state,
    Optional<String> gatewayId,
    Optional<String> profile,
    Optional<Tag> tag,
    Optional<String> text,
    Sort sort,
    boolean descending,
    int limit,
    int offset) {
  public DeviceQuery {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(gatewayId, "gatewayId");
    Objects.requireNonNull(profile, "profile");
    Objects.requireNonNull(tag, "tag");
    Values.text("text", text);
    Objects.requireNonNull(sort, "sort");
    Values.limit(limit);
    Values.offset(offset);
  }

  /** The first 100 devices by id, unfiltered. */
  public static DeviceQuery all() {
    return new DeviceQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Sort.ID,
        false,
        100,
        0);
  }

  public DeviceQuery withState(DeviceState value) {
    return new DeviceQuery(
        Optional.of(value), gatewayId, profile, tag, text, sort, descending, limit, offset);
  }

  public DeviceQuery withGateway(String value) {
    return new DeviceQuery(
        state, Optional.of(value), profile, tag, text, sort, descending, limit, offset);
  }

  public DeviceQuery withProfile(String value) {
    return new DeviceQuery(
        state, gatewayId, Optional.of(value), tag, text, sort, descending, limit, offset);
  }

  public DeviceQuery withTag(String key, String value) {
    return new DeviceQuery(
        state,
        gatewayId,
        profile,
        Optional.of(new Tag(key, value)),
        text,
        sort,
        descending,
        limit,
        offset);
  }

  public DeviceQuery withText(String value) {
    return new DeviceQuery(
        state, gatewayId, profile, tag, Optional.of(value), sort, descending, limit, offset);
  }

  public DeviceQuery sortedBy(Sort value, boolean desc) {
    return new DeviceQuery(state, gatewayId, profile, tag, text, value, desc, limit, offset);
  }

  public DeviceQuery page(int newLimit, int newOffset) {
    return new DeviceQuery(
        state, gatewayId, profile, tag, text, sort, descending, newLimit, newOffset);
  }

  /** A tag filter: key {@code ^[a-z][a-z0-9_]{0,31}$}. */
  public record Tag(String key, String value) {
    public Tag {
      Values.tag("tag", key, value);
    }
  }

  /** Sort keys; ties are broken by id. Missing values sort last in either direction. */
  public enum Sort {
    ID,
    NAME,
    STATE,
    LAST_TELEMETRY,
    LAST_CONNECT
  }
}
