package io.auditgate.controlplane.enrolment;

import io.auditgate.controlplane.internal.enrolment.EnrolmentTables;
import io.auditgate.controlplane.internal.enrolment.TokenSecrets;
import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.store.StoreOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Creates one-time enrolment tokens ({@code enrolment_tokens}, migration V50): each is bound to one
 * device id, expires, and is consumed by the enrolment it authorises ({@link Enrolment}).
 *
 * <p>Thread-safe; every call opens a connection and blocks for one short transaction (tokens are
 * created by operators, a few at a time).
 *
 * @throws UnableToEnrolException from every method when the database cannot be written
 */
public final class EnrolmentTokens {
  /** What {@code --ttl} defaults to: a working day to get the device on the network. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);

  /** A token lives at most this long: an unused credential should not outlive a sprint. */
  public static final Duration MAX_TTL = Duration.ofDays(30);

  private final StoreOptions store;
  private final Clock clock;

  public EnrolmentTokens(StoreOptions store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Creates a token for {@code deviceId} that expires {@code ttl} from now.
   *
   * @return the token with its secret: show it once, it is kept nowhere
   * @throws IllegalArgumentException if the device id is invalid or the ttl is not between one
   *     minute and {@link #MAX_TTL}
   */
  public IssuedEnrolmentToken create(String deviceId, Duration ttl) {
    if (!Telemetry.isDeviceId(deviceId)) {
      throw new IllegalArgumentException(
          "device id must match " + Telemetry.DEVICE_ID + ", got '" + deviceId + "'");
    }
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(Duration.ofMinutes(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttl must be between 1 minute and " + MAX_TTL.toDays() + " days, got " + ttl);
    }
    String secret = TokenSecrets.generate();
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    try (Connection c = DriverManager.getConnection(store.jdbcUrl(), store.driverProperties())) {
      long id = EnrolmentTables.insertToken(c, TokenSecrets.sha256(secret), deviceId, now, expires);
      return new IssuedEnrolmentToken(id, deviceId, expires, secret);
    } catch (SQLException e) {
      throw new UnableToEnrolException(
          "cannot create an enrolment token in " + store.redactedUrl() + ": " + e.getMessage(), e);
    }
  }
}
