package io.auditgate.store.internal;

import java.sql.SQLException;

/** Sorts database failures by what the writer should do about them, by SQLSTATE class. */
public final class SqlFailures {
  private SqlFailures() {}

  /**
   * Whether the database refused the data itself (class 22 data exception, class 23 integrity
   * constraint): the same rows would fail again, so the writer looks for the record responsible
   * rather than retrying. Everything else (connection, resources, operator intervention, deadlock,
   * timeout) may pass, and the batch is retried whole.
   */
  public static boolean isRefusedData(SQLException e) {
    String state = e.getSQLState();
    return state != null && (state.startsWith("22") || state.startsWith("23"));
  }

  /** A one-line description: SQLSTATE and message. */
  public static String describe(SQLException e) {
    String message = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    return (e.getSQLState() == null ? "" : "SQLSTATE " + e.getSQLState() + ": ") + message;
  }
}
