package io.auditgate.fleet;

import java.util.List;

/** What an import did: all of it, or nothing. */
public sealed interface ImportResult {
  /**
   * Every record was valid and is written, in one transaction.
   *
   * @param created devices new to the registry
   * @param updated devices that existed and whose registry fields were replaced
   */
  record Imported(int created, int updated) implements ImportResult {
    public Imported {
      if (created < 0 || updated < 0) {
        throw new IllegalArgumentException("created and updated must be >= 0");
      }
    }
  }

  /** At least one record was invalid; nothing was written. Errors are in input order. */
  record Rejected(List<ImportError> errors) implements ImportResult {
    public Rejected {
      errors = List.copyOf(errors);
      if (errors.isEmpty()) {
        throw new IllegalArgumentException("errors must not be empty");
      }
    }
  }
}
