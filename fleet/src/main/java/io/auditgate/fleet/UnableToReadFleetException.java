package io.auditgate.fleet;

/** A read of the fleet model failed: the database could not be reached or the query failed. */
public class UnableToReadFleetException extends FleetException {
  public UnableToReadFleetException(String message, Throwable cause) {
    super(message, cause);
  }
}
