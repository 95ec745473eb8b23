package io.auditgate.fleet.internal;

import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceRegistration;
import io.auditgate.fleet.FleetRegistry;
import io.auditgate.fleet.GatewayRegistration;
import io.auditgate.fleet.ImportFormat;
import io.auditgate.fleet.ImportResult;
import io.auditgate.fleet.RegistrationOutcome;
import io.auditgate.store.StoreOptions;
import java.io.Reader;
import java.util.Objects;

/** The registry over JDBC. Thread-safe: a connection per call. */
public final class JdbcFleetRegistry implements FleetRegistry {
  private final StoreOptions store;

  public JdbcFleetRegistry(StoreOptions store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public RegistrationOutcome registerDevice(DeviceRegistration device) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public RegistrationOutcome registerGateway(GatewayRegistration gateway) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public RegistrationOutcome registerProfile(DeviceProfile profile) {
    throw new UnsupportedOperationException("in progress");
  }

  @Override
  public ImportResult importDevices(Reader input, ImportFormat format) {
    throw new UnsupportedOperationException("in progress");
  }
}
