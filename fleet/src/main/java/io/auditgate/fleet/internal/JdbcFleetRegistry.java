package io.auditgate.fleet.internal;

import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceRegistration;
import io.auditgate.fleet.FleetRegistry;
import io.auditgate.fleet.GatewayRegistration;
import io.auditgate.fleet.ImportError;
import io.auditgate.fleet.ImportFormat;
import io.auditgate.fleet.ImportResult;
import io.auditgate.fleet.RegisteredVia;
import io.auditgate.fleet.RegistrationOutcome;
import io.auditgate.store.StoreOptions;
import java.io.Reader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The registry over JDBC. Thread-safe: a connection per call. */
public final class JdbcFleetRegistry implements FleetRegistry {
  // Registry fields only: status, history and registered_via of an existing device stay.
  private static final String UPSERT_DEVICE =
      "INSERT INTO devices (device_id, name, profile, location, firmware_version,"
          + " bound_certificate_sha256, tags, registered_via, status)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'never_seen')"
          + " ON CONFLICT (device_id) DO UPDATE SET name = excluded.name,"
          + " profile = excluded.profile, location = excluded.location,"
          + " firmware_version = excluded.firmware_version,"
          + " bound_certificate_sha256 = excluded.bound_certificate_sha256, tags = excluded.tags";

  private final StoreOptions store;

  public JdbcFleetRegistry(StoreOptions store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public RegistrationOutcome registerDevice(DeviceRegistration device) {
    Objects.requireNonNull(device, "device");
    return Jdbc.transaction(
        store,
        "device " + device.id(),
        c -> {
          if (!profiles(c).contains(device.profile())) {
            return new RegistrationOutcome.Refused(
                device.id(),
                ImportError.Reason.UNKNOWN_PROFILE,
                "profile '" + device.profile() + "' is not registered");
          }
          if (device.boundCertificateSha256().isPresent()) {
            Optional<String> owner =
                boundElsewhere(c, device.boundCertificateSha256().get(), device.id());
            if (owner.isPresent()) {
              return new RegistrationOutcome.Refused(
                  device.id(),
                  ImportError.Reason.CERTIFICATE_BOUND_ELSEWHERE,
                  "the certificate is already bound to device '" + owner.get() + "'");
            }
          }
          boolean exists =
              Jdbc.count(
                      c, "SELECT count(*) FROM devices WHERE device_id = ?", List.of(device.id()))
                  > 0;
          try (PreparedStatement ps = c.prepareStatement(UPSERT_DEVICE)) {
            bindDevice(ps, device, RegisteredVia.API);
            ps.executeUpdate();
          }
          return new RegistrationOutcome.Registered(device.id(), !exists);
        });
  }

  @Override
  public RegistrationOutcome registerGateway(GatewayRegistration gateway) {
    Objects.requireNonNull(gateway, "gateway");
    return Jdbc.transaction(
        store,
        "gateway " + gateway.id(),
        c -> {
          boolean exists =
              Jdbc.count(
                      c,
                      "SELECT count(*) FROM gateways WHERE gateway_id = ?",
                      List.of(gateway.id()))
                  > 0;
          Jdbc.update(
              c,
              "INSERT INTO gateways (gateway_id, name, location, tags) VALUES (?, ?, ?, ?::jsonb)"
                  + " ON CONFLICT (gateway_id) DO UPDATE SET name = excluded.name,"
                  + " location = excluded.location, tags = excluded.tags",
              List.of(
                  gateway.id(), gateway.name(), gateway.location(), Json.writeMap(gateway.tags())));
          return new RegistrationOutcome.Registered(gateway.id(), !exists);
        });
  }

  @Override
  public RegistrationOutcome registerProfile(DeviceProfile profile) {
    Objects.requireNonNull(profile, "profile");
    return Jdbc.transaction(
        store,
        "profile " + profile.name(),
        c -> {
          boolean exists = profiles(c).contains(profile.name());
          Jdbc.update(
              c,
              "INSERT INTO device_profiles (name, expected_interval_seconds, stale_after_intervals,"
                  + " description) VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                  + " expected_interval_seconds = excluded.expected_interval_seconds,"
                  + " stale_after_intervals = excluded.stale_after_intervals,"
                  + " description = excluded.description",
              List.of(
                  profile.name(),
                  Math.toIntExact(profile.expectedInterval().toSeconds()),
                  profile.staleAfterIntervals(),
                  profile.description()));
          return new RegistrationOutcome.Registered(profile.name(), !exists);
        });
  }

  @Override
  public ImportResult importDevices(Reader input, ImportFormat format) {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(format, "format");
    DeviceImportParser.Result parsed = DeviceImportParser.parse(input, format);
    return Jdbc.transaction(
        store,
        "device import",
        c -> {
          Set<String> profiles = profiles(c);
          List<ImportError> errors = new ArrayList<>(parsed.errors());
          for (DeviceImportParser.Parsed p : parsed.records()) {
            String profile = p.registration().profile();
            if (!profiles.contains(profile)) {
              errors.add(
                  new ImportError(
                      p.line(),
                      p.record(),
                      ImportError.Reason.UNKNOWN_PROFILE,
                      Optional.of("profile"),
                      "profile '"
                          + profile
                          + "' is not registered; known: "
                          + new java.util.TreeSet<>(profiles)));
            }
          }
          for (DeviceImportParser.Parsed p : parsed.records()) {
            Optional<String> sha = p.registration().boundCertificateSha256();
            if (sha.isPresent()) {
              Optional<String> owner = boundElsewhere(c, sha.get(), p.registration().id());
              if (owner.isPresent()) {
                errors.add(
                    new ImportError(
                        p.line(),
                        p.record(),
                        ImportError.Reason.CERTIFICATE_BOUND_ELSEWHERE,
                        Optional.of("bound_certificate_sha256"),
                        "already bound to device '" + owner.get() + "'"));
              }
            }
          }
          if (!errors.isEmpty()) {
            errors.sort(
                java.util.Comparator.comparingInt(ImportError::line)
                    .thenComparingInt(ImportError::record));
            return new ImportResult.Rejected(errors);
          }
          String[] ids =
              parsed.records().stream().map(p -> p.registration().id()).toArray(String[]::new);
          Set<String> existing =
              new HashSet<>(
                  Jdbc.list(
                      c,
                      "SELECT device_id FROM devices WHERE device_id = ANY(?)",
                      List.<Object>of((Object) ids),
                      rs -> rs.getString(1)));
          // In id order, as the store writer locks devices: the two wait, never deadlock.
          List<DeviceImportParser.Parsed> byId = new ArrayList<>(parsed.records());
          byId.sort(java.util.Comparator.comparing(p -> p.registration().id()));
          try (PreparedStatement ps = c.prepareStatement(UPSERT_DEVICE)) {
            for (DeviceImportParser.Parsed p : byId) {
              bindDevice(ps, p.registration(), RegisteredVia.IMPORT);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          int created = ids.length - existing.size();
          return new ImportResult.Imported(created, existing.size());
        });
  }

  private static void bindDevice(PreparedStatement ps, DeviceRegistration d, RegisteredVia via)
      throws SQLException {
    Jdbc.bind(
        ps,
        List.of(
            d.id(),
            d.name(),
            d.profile(),
            d.location(),
            d.firmwareVersion(),
            d.boundCertificateSha256(),
            Json.writeMap(d.tags()),
            via.wireName()));
  }

  /**
   * The other device the certificate is bound to, if any. An input that swaps certificates between
   * two devices is refused too: unbind first.
   */
  private static Optional<String> boundElsewhere(Connection c, String sha256, String deviceId)
      throws SQLException {
    return Jdbc.one(
        c,
        "SELECT device_id FROM devices WHERE bound_certificate_sha256 = ? AND device_id <> ?",
        List.of(sha256, deviceId),
        rs -> rs.getString(1));
  }

  private static Set<String> profiles(Connection c) throws SQLException {
    return new HashSet<>(
        Jdbc.list(c, "SELECT name FROM device_profiles", List.of(), rs -> rs.getString(1)));
  }
}
