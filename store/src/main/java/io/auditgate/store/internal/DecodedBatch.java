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
import java.time.Duration;
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
  /**
   * How much older than its arrival ({@code received_at}) a point filed under the device's time may
   * be: a device buffering readings while it is offline, then a gateway's log or Kafka holding
   * them, stays well within a month. Older, the device's clock is wrong, and filing points under it
   * would create a partition (TimescaleDB: a chunk) per wrong day, days the retention may long have
   * passed.
   */
  public static final Duration DEVICE_TIME_MAX_BEFORE_ARRIVAL = Duration.ofDays(30);

  /**
   * How much later than its arrival a device's time may be: clock drift and a mistaken time zone,
   * never more than a day on a working clock. Later, the clock is wrong, and its points would make
   * partitions (chunks) for days that have not happened and no retention reaches for years.
   */
  public static final Duration DEVICE_TIME_MAX_AFTER_ARRIVAL = Duration.ofDays(1);

  /** A message and the time its points are filed under: the device's time, else arrival. */
  public record Message(int index, StoreRecord record, Envelope envelope, Instant time) {}

  /** A gateway event. */
  public record Event(int index, StoreRecord record, GatewayEvent event) {}

  public static DecodedBatch decode(
      List<StoreRecord> records, EnvelopeCodec envelopes, GatewayEventCodec gatewayEvents) {
    return decode(records, 0, records.size(), envelopes, gatewayEvents);
  }

  /**
   * Decodes {@code records[from, to)}, indexes counted in the whole list: so that a batch can be
   * decoded in parts ({@link BatchDecoding}) and the parts {@link #concat}enated.
   */
  public static DecodedBatch decode(
      List<StoreRecord> records,
      int from,
      int to,
      EnvelopeCodec envelopes,
      GatewayEventCodec gatewayEvents) {
    List<Message> messages = new ArrayList<>(to - from);
    List<Event> events = new ArrayList<>();
    List<Poison> poison = new ArrayList<>();
    for (int i = from; i < to; i++) {
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
   * The device's time when it is plausible, that is within {@link #DEVICE_TIME_MAX_BEFORE_ARRIVAL}
   * before and {@link #DEVICE_TIME_MAX_AFTER_ARRIVAL} after the gateway's {@code received_at}; else
   * {@code received_at}. The device's time is kept on the message ({@code messages.device_time}) as
   * evidence either way.
   */
  static Instant pointTime(Telemetry t) {
    if (t.deviceTime().isPresent()) {
      Instant device = t.deviceTime().get();
      Instant arrival = t.receivedAt();
      if (!device.isBefore(arrival.minus(DEVICE_TIME_MAX_BEFORE_ARRIVAL))
          && !device.isAfter(arrival.plus(DEVICE_TIME_MAX_AFTER_ARRIVAL))) {
        return device;
      }
    }
    return t.receivedAt();
  }

  /** The parts of one batch, in order, as one. */
  public static DecodedBatch concat(List<DecodedBatch> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    List<Message> messages = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<Poison> poison = new ArrayList<>();
    for (DecodedBatch part : parts) {
      messages.addAll(part.messages);
      events.addAll(part.events);
      poison.addAll(part.poison);
    }
    return new DecodedBatch(List.copyOf(messages), List.copyOf(events), List.copyOf(poison));
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
