package io.auditgate.store;

/** The store's Flyway migrations could not be applied. */
public class UnableToMigrateSchemaException extends StoreException {
  public UnableToMigrateSchemaException(String message, Throwable cause) {
    super(message, cause);
  }
}
