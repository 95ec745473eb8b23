package io.auditgate.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of a run, per board and in total, so that it can be reconciled exactly against what a
 * broker, a subscriber or the gateway's log received.
 *
 * @param startedAt when the run started (the simulator's clock)
 * @param connectTime how long connecting the fleet took before publishing started
 * @param runTime from the start of publishing until every answer was in
 * @param qos the QoS the boards published with
 * @param devices one report per board, in device-id order
 */
public record SimulationReport(
    Instant startedAt,
    Duration connectTime,
    Duration runTime,
    int qos,
    List<DeviceReport> devices) {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SimulationReport {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(connectTime, "connectTime");
    Objects.requireNonNull(runTime, "runTime");
    devices = List.copyOf(devices);
  }

  /** One board's report. */
  public Optional<DeviceReport> device(String deviceId) {
    return devices.stream().filter(d -> d.deviceId().equals(deviceId)).findFirst();
  }

  /** Readings due across the fleet. */
  public long scheduled() {
    return devices.stream().mapToLong(DeviceReport::scheduled).sum();
  }

  /** Every message of every board. */
  public Counts totals() {
    return devices.stream().map(DeviceReport::total).reduce(Counts.ZERO, Counts::plus);
  }

  /** The fleet's messages by kind; every kind is present. */
  public Map<MessageKind, Counts> totalsByKind() {
    EnumMap<MessageKind, Counts> totals = new EnumMap<>(MessageKind.class);
    for (MessageKind kind : MessageKind.values()) {
      totals.put(kind, devices.stream().map(d -> d.of(kind)).reduce(Counts.ZERO, Counts::plus));
    }
    return Collections.unmodifiableMap(totals);
  }

  /** The fleet's skipped readings by reason; every reason is present. */
  public Map<SkipReason, Long> skippedTotals() {
    EnumMap<SkipReason, Long> totals = new EnumMap<>(SkipReason.class);
    for (SkipReason reason : SkipReason.values()) {
      totals.put(reason, devices.stream().mapToLong(d -> d.skipped().get(reason)).sum());
    }
    return Collections.unmodifiableMap(totals);
  }

  /** Connections established across the fleet. */
  public long connects() {
    return devices.stream().mapToLong(DeviceReport::connects).sum();
  }

  /** Connection attempts that failed across the fleet. */
  public long connectFailures() {
    return devices.stream().mapToLong(DeviceReport::connectFailures).sum();
  }

  /** Connections the broker or the network closed across the fleet. */
  public long connectionsLost() {
    return devices.stream().mapToLong(DeviceReport::connectionsLost).sum();
  }

  /**
   * A fixed-width table: one line per board, a total line, then the totals by kind and by skip
   * reason.
   */
  public String toTable() {
    StringBuilder out = new StringBuilder();
    String row = "%-16s %9s %9s %9s %9s %11s %9s %9s %9s %9s%n";
    out.append(
        String.format(
            row,
            "device",
            "scheduled",
            "sent",
            "acked",
            "failed",
            "unconfirmed",
            "skipped",
            "connects",
            "refused",
            "lost"));
    for (DeviceReport d : devices) {
      appendRow(out, row, d);
    }
    Counts totals = totals();
    out.append(
        String.format(
            row,
            "TOTAL",
            scheduled(),
            totals.sent(),
            totals.acknowledged(),
            totals.failed(),
            totals.unconfirmed(),
            skippedTotals().values().stream().mapToLong(Long::longValue).sum(),
            connects(),
            connectFailures(),
            connectionsLost()));
    out.append(System.lineSeparator());
    String kindRow = "%-16s %9s %9s %9s %11s%n";
    out.append(String.format(kindRow, "kind", "sent", "acked", "failed", "unconfirmed"));
    totalsByKind()
        .forEach(
            (kind, c) ->
                out.append(
                    String.format(
                        kindRow,
                        kind.code(),
                        c.sent(),
                        c.acknowledged(),
                        c.failed(),
                        c.unconfirmed())));
    out.append(System.lineSeparator());
    skippedTotals()
        .forEach((reason, n) -> out.append(String.format("skipped %-12s %9d%n", reason.code(), n)));
    out.append(
        String.format(
            "qos %d, connected in %d ms, ran %d ms, started %s%n",
            qos,
            connectTime.toMillis(),
            runTime.toMillis(),
            DateTimeFormatter.ISO_INSTANT.format(startedAt)));
    return out.toString();
  }

  /** The report as JSON with snake_case keys: {@code totals}, {@code by_kind}, {@code devices}. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("started_at", DateTimeFormatter.ISO_INSTANT.format(startedAt));
    root.put("connect_ms", connectTime.toMillis());
    root.put("run_ms", runTime.toMillis());
    root.put("qos", qos);
    root.put("scheduled", scheduled());
    putCounts(root.putObject("totals"), totals());
    ObjectNode byKind = root.putObject("by_kind");
    totalsByKind().forEach((kind, c) -> putCounts(byKind.putObject(kind.code()), c));
    ObjectNode skipped = root.putObject("skipped");
    skippedTotals().forEach((reason, n) -> skipped.put(reason.code(), n));
    root.put("connects", connects());
    root.put("connect_failures", connectFailures());
    root.put("connections_lost", connectionsLost());
    var array = root.putArray("devices");
    for (DeviceReport d : devices) {
      ObjectNode device = array.addObject();
      device.put("device_id", d.deviceId());
      device.put("scheduled", d.scheduled());
      putCounts(device.putObject("totals"), d.total());
      ObjectNode kinds = device.putObject("by_kind");
      d.byKind().forEach((kind, c) -> putCounts(kinds.putObject(kind.code()), c));
      ObjectNode reasons = device.putObject("skipped");
      d.skipped().forEach((reason, n) -> reasons.put(reason.code(), n));
      device.put("connects", d.connects());
      device.put("connect_failures", d.connectFailures());
      device.put("connections_lost", d.connectionsLost());
    }
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain values always serialises", e);
    }
  }

  private static void appendRow(StringBuilder out, String row, DeviceReport d) {
    Counts c = d.total();
    out.append(
        String.format(
            row,
            d.deviceId(),
            d.scheduled(),
            c.sent(),
            c.acknowledged(),
            c.failed(),
            c.unconfirmed(),
            d.skippedTotal(),
            d.connects(),
            d.connectFailures(),
            d.connectionsLost()));
  }

  private static void putCounts(ObjectNode node, Counts c) {
    node.put("sent", c.sent());
    node.put("acknowledged", c.acknowledged());
    node.put("failed", c.failed());
    node.put("unconfirmed", c.unconfirmed());
  }
}
