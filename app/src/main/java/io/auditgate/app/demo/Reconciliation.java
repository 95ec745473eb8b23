package io.auditgate.app.demo;

import io.auditgate.sim.DeviceReport;
import io.auditgate.sim.SeqRanges;
import io.auditgate.sim.SimulationReport;
import io.auditgate.store.StoreQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per device: what the board sent, what the gateway acknowledged (the exact {@code seq} set the
 * simulator kept), and what the database holds. Lost = acknowledged but not stored, which must be
 * zero; duplicates = metric values stored twice for one message, which must be zero too. Stored but
 * not acknowledged is allowed: an acknowledgement can die with a killed gateway after the message
 * was already durable.
 */
public record Reconciliation(List<Row> rows) {
  public Reconciliation {
    rows = List.copyOf(rows);
  }

  /** One device's line. */
  public record Row(
      String deviceId,
      long sent,
      long acknowledged,
      long stored,
      long lost,
      long storedNotAcknowledged,
      long duplicates) {}

  public static Reconciliation of(SimulationReport report, StoreQueries store) {
    Map<String, Long> duplicates = store.duplicatePointsByDevice();
    List<Row> rows = new ArrayList<>();
    for (DeviceReport device : report.devices()) {
      SeqRanges acknowledged = device.acknowledgedSeqs();
      long[] stored = store.storedSeqs(device.deviceId());
      long found = 0;
      for (long seq : stored) {
        if (acknowledged.contains(seq)) {
          found++;
        }
      }
      rows.add(
          new Row(
              device.deviceId(),
              device.total().sent(),
              acknowledged.count(),
              stored.length,
              acknowledged.count() - found,
              stored.length - found,
              duplicates.getOrDefault(device.deviceId(), 0L)));
    }
    return new Reconciliation(rows);
  }

  public long lost() {
    return rows.stream().mapToLong(Row::lost).sum();
  }

  public long duplicates() {
    return rows.stream().mapToLong(Row::duplicates).sum();
  }

  public long storedTotal() {
    return rows.stream().mapToLong(Row::stored).sum();
  }

  /** Every acknowledged message is in the database. */
  public boolean complete() {
    return lost() == 0;
  }

  /** Nothing acknowledged is missing and nothing is stored twice. */
  public boolean zeroLossZeroDuplicates() {
    return lost() == 0 && duplicates() == 0;
  }

  public String toTable() {
    StringBuilder table = new StringBuilder();
    String format = "%-16s %8s %13s %8s %6s %11s %20s%n";
    table.append(
        String.format(
            format,
            "device",
            "sent",
            "acknowledged",
            "stored",
            "lost",
            "duplicates",
            "stored, ack not seen"));
    long[] totals = new long[6];
    for (Row row : rows) {
      table.append(
          String.format(
              format,
              row.deviceId(),
              row.sent(),
              row.acknowledged(),
              row.stored(),
              row.lost(),
              row.duplicates(),
              row.storedNotAcknowledged()));
      totals[0] += row.sent();
      totals[1] += row.acknowledged();
      totals[2] += row.stored();
      totals[3] += row.lost();
      totals[4] += row.duplicates();
      totals[5] += row.storedNotAcknowledged();
    }
    table.append(
        String.format(
            format, "total", totals[0], totals[1], totals[2], totals[3], totals[4], totals[5]));
    table.append(
        zeroLossZeroDuplicates()
            ? "every acknowledged message is stored exactly once.\n"
            : "LOST " + lost() + " acknowledged messages, " + duplicates() + " duplicates\n");
    return table.toString();
  }
}
