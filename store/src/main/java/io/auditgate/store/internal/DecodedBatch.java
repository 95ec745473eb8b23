package io.auditgate.store.internal;

import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.envelope.Envelope;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.GatewayEvent;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.envelope.UnreadableEnvelopeException;
import io.auditgate.store.StoreRecord;
import io.auditgate.store.WriteOutcome.Poison;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A batch split by what the store does with each record: messages (telemetry and device events),
 * gateway events, and poison that is never written. Decoding happens before the transaction, so a
 * record that cannot be read never costs a rollback.
 */
public record DecodedBatch(List<Message> messages, List<Event> events, List<Poison> poison) {
  private static final Instant EARLIEST_DEVICE_TIME = Instant.parse("2000-01-01T00:00:00Z");
  private static final Instant LATEST_DEVICE_TIME = Instant.parse("2200-01-01T00:00:00Z");

  /** A message and the time its points are filed under: the device's time, else arrival. */
  public record Message(int index, StoreRecord record, Envelope envelope, Instant time) {}

  /** A gateway event. */
  public record Event(int index, StoreRecord record, GatewayEvent event) {}

  public static DecodedBatch decode(
      List<StoreRecord> records, EnvelopeCodec envelopes, GatewayEventCodec gatewayEvents) {
    List<Message> messages = new ArrayList<>(records.size());
    List<Event> events = new ArrayList<>();
    List<Poison> poison = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      StoreRecord r = records.get(i);
      try {
        switch (r.recordType()) {
          case RecordTypes.TELEMETRY, RecordTypes.DEVICE_EVENT -> {
            Envelope e = envelopes.decode(r.body());
            Telemetry t = e.telemetry();
            messages.add(new Message(i, r, e, pointTime(t)));
          }
          case RecordTypes.GATEWAY_EVENT ->
              events.add(new Event(i, r, gatewayEvents.decode(r.body())));
          default ->
              poison.add(
                  new Poison(
                      i, "unknown_record_type", "record type " + r.recordType() + " unknown"));
        }
      } catch (UnreadableEnvelopeException e) {
        poison.add(new Poison(i, "unreadable_envelope", e.getMessage()));
      }
    }
    return new DecodedBatch(List.copyOf(messages), List.copyOf(events), List.copyOf(poison));
  }

  /**
   * The device's time when it is plausible, else arrival: a device whose clock says 1970 or the
   * year 20000 must not create partitions no retention ever reaches.
   */
  static Instant pointTime(Telemetry t) {
    if (t.deviceTime().isPresent()) {
      Instant device = t.deviceTime().get();
      if (!device.isBefore(EARLIEST_DEVICE_TIME) && device.isBefore(LATEST_DEVICE_TIME)) {
        return device;
      }
    }
    return t.receivedAt();
  }

  /** A batch of one message, for finding the one the database refuses. */
  public static DecodedBatch of(Message message) {
    return new DecodedBatch(List.of(message), List.of(), List.of());
  }

  /** A batch of one event. */
  public static DecodedBatch of(Event event) {
    return new DecodedBatch(List.of(), List.of(event), List.of());
  }

  /** UTC days that points of this batch fall on. */
  public Set<LocalDate> pointDays() {
    Set<LocalDate> days = new TreeSet<>();
    for (Message m : messages) {
      if (!m.envelope().telemetry().metrics().isEmpty()) {
        days.add(LocalDate.ofInstant(m.time(), ZoneOffset.UTC));
      }
    }
    return days;
  }

  public boolean isEmpty() {
    return messages.isEmpty() && events.isEmpty();
  }
}
