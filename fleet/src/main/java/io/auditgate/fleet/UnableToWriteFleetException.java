package io.auditgate.fleet;

/**
 * A write to the registry or to the fleet state failed for a reason outside the input (the database
 * could not be reached, the transaction failed); nothing of it was committed.
 */
public class UnableToWriteFleetException extends FleetException {
  public UnableToWriteFleetException(String message, Throwable cause) {
    super(message, cause);
  }
}
