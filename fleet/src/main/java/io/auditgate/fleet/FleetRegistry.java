package io.auditgate.fleet;

import java.io.Reader;

/**
 * The write side of the registry: what operators say about devices, gateways and profiles, next to
 * what the store learned from the traffic. Registration never changes state or history: a
 * registered device that never sent anything is {@code never_seen}.
 *
 * <p>Thread-safe; every method blocks for one database transaction. Each call is atomic: it commits
 * completely or not at all.
 *
 * @throws UnableToWriteFleetException from every method when the database cannot be written
 */
public interface FleetRegistry {
  /**
   * Creates the device or replaces its registry fields. A device created here is registered via
   * {@code api}; one created by traffic keeps {@code first_contact}.
   *
   * @return {@link RegistrationOutcome.Refused} with {@code unknown_profile} when the profile is
   *     not registered, {@code certificate_bound_elsewhere} when its certificate is bound to
   *     another device
   */
  RegistrationOutcome registerDevice(DeviceRegistration device);

  /** Creates the gateway or replaces its registry fields. */
  RegistrationOutcome registerGateway(GatewayRegistration gateway);

  /** Creates the profile or replaces its interval, stale count and description. */
  RegistrationOutcome registerProfile(DeviceProfile profile);

  /**
   * Reads every record of {@code input}, validates all of them (syntax, ids, duplicates within the
   * input, profiles, tags, fingerprints and their binding to one device), and only if none is
   * invalid registers them all in one transaction, via {@code import}. The reader is read to its
   * end, not closed.
   *
   * @return {@link ImportResult.Rejected} with every error found, each with its line and record
   *     number and a reason code, when any record is invalid — then nothing was written
   */
  ImportResult importDevices(Reader input, ImportFormat format);
}
