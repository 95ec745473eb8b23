package io.auditgate.store.internal;

import io.auditgate.envelope.EnvelopeSchema;
import java.util.List;

/**
 * Device connectivity from the stream: the connected and disconnected device events the gateway's
 * MQTT listener logs, and the certificate_presented events its HTTPS listener logs (a device
 * authenticated with a client certificate; HTTP has no session, so such an event moves only {@code
 * last_activity_at}). A statement of its own, run after the merge in the same transaction and only
 * for batches that may hold such an event, so batches of telemetry never pay for it.
 *
 * <p>{@link #RECORD} reads the staging table the merge read ({@link #RECORD_GIVEN} takes the events
 * as arrays on the fast path, where every message was just stored), and takes an event when its
 * message is the one the store holds for that key: the key of a message without seq is (gateway_id,
 * wal_offset), which is {@code device_connectivity}'s key too, so an event is recorded exactly when
 * its message is first stored (a message with seq counts only if the stored one came from this very
 * record). From the events recorded now (not those already there) it moves the devices' {@code
 * last_connect_at}, {@code last_disconnect_at} and {@code last_activity_at} forward. It does not
 * decide {@code status}: the fleet monitor (module fleet) derives it from these times and the
 * device's profile, and records every change with its cause. A disconnect that left the device
 * other connections ({@code other_connections} > 0, a session taken over) is recorded but does not
 * count as the device's disconnect.
 *
 * <p>A connect or certificate_presented event's {@code certificate_der} (the client's leaf
 * certificate, base64) goes to its own {@code bytea} column rather than into {@code details}, which
 * the fleet views read per row; text that is not base64 is left out (null) rather than failing the
 * batch, since the event body comes through the device's own topic.
 *
 * <p>The devices it updates were upserted by the merge in the same transaction, so it takes no row
 * lock the merge did not already hold, in the merge's order.
 */
public final class ConnectivitySql {
  private ConnectivitySql() {}

  private static final String RECORD_FROM =
      """
      WITH ev AS (
        %s
      ), ins AS (
        INSERT INTO device_connectivity (gateway_id, wal_offset, device_id, at, event, reason,
            details, certificate_der)
        SELECT DISTINCT ON (gateway_id, wal_offset) gateway_id, wal_offset, device_id, at,
            payload ->> 'event', payload ->> 'reason',
            payload - 'event' - 'reason' - 'certificate_der',
            CASE WHEN payload ->> 'certificate_der' ~ '^[A-Za-z0-9+/]+={0,2}$'
                AND mod(length(payload ->> 'certificate_der'), 4) = 0
              THEN decode(payload ->> 'certificate_der', 'base64') END
        FROM ev ORDER BY gateway_id, wal_offset
        ON CONFLICT DO NOTHING
        RETURNING device_id, at, event,
            CASE WHEN jsonb_typeof(details -> 'other_connections') = 'number'
              THEN (details ->> 'other_connections')::numeric > 0 ELSE false END AS still_connected
      ), agg AS (
        SELECT device_id,
            max(at) FILTER (WHERE event = 'connected') AS connected_at,
            max(at) FILTER (WHERE event = 'disconnected' AND NOT still_connected)
              AS disconnected_at,
            max(at) AS active_at
        FROM ins GROUP BY device_id
      ), upd AS (
        UPDATE devices d SET
          last_connect_at = greatest(d.last_connect_at, a.connected_at),
          last_disconnect_at = greatest(d.last_disconnect_at, a.disconnected_at),
          last_activity_at = greatest(d.last_activity_at, a.active_at)
        FROM agg a WHERE d.device_id = a.device_id
      )
      SELECT count(*) FROM ins
      """;

  /** From the staging table the merge read (the merge path). */
  public static final String RECORD =
      RECORD_FROM.formatted(
          """
          SELECT s.gateway_id, s.wal_offset, s.device_id, s.received_at AS at, s.payload
          FROM store_staging s
          WHERE s.schema = 'device_event.v1'
            AND s.payload ->> 'event' IN ('connected', 'disconnected', 'certificate_presented')
            AND (s.seq IS NULL OR EXISTS (
              SELECT 1 FROM messages m
              WHERE m.device_id = s.device_id AND m.seq = s.seq
                AND m.gateway_id = s.gateway_id AND m.wal_offset = s.wal_offset))""");

  /**
   * From the batch's device events passed as arrays (gateway_id, wal_offset, device_id,
   * received_at, payload): the fast path, where every message of the batch was just stored from its
   * own record, so each event counts without looking at {@code messages}.
   */
  public static final String RECORD_GIVEN =
      RECORD_FROM.formatted(
          """
          SELECT gateway_id, wal_offset, device_id, at, payload
          FROM unnest(?::text[], ?::bigint[], ?::text[], ?::timestamptz[], ?::jsonb[])
            AS e(gateway_id, wal_offset, device_id, at, payload)
          WHERE payload ->> 'event' IN ('connected', 'disconnected', 'certificate_presented')""");

  /**
   * Whether the batch may hold a connectivity event: a device event whose payload mentions {@code
   * connected} (which {@code disconnected} contains) or {@code certificate_presented}. A cheap
   * superset of what {@link #RECORD} takes; telemetry never matches.
   */
  public static boolean concerns(List<DecodedBatch.Message> messages) {
    for (DecodedBatch.Message m : messages) {
      if (m.envelope().schema() == EnvelopeSchema.DEVICE_EVENT_V1
          && m.envelope()
              .telemetry()
              .payload()
              .map(p -> p.contains("connected") || p.contains("certificate_presented"))
              .orElse(false)) {
        return true;
      }
    }
    return false;
  }
}
