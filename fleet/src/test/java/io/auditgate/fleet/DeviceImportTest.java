package io.auditgate.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.fleet.ImportError.Reason;
import io.auditgate.store.StoreOptions;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** CSV and JSON imports: all rows valid and written in one transaction, or none written. */
class DeviceImportTest {
  private static final String SHA = "0123456789abcdef".repeat(4);

  private final StoreOptions db = FleetTestStore.migratedDatabase();
  private final FleetRegistry registry = Fleet.registry(db);
  private final FleetReadModel fleet =
      Fleet.readModel(db, java.time.Clock.fixed(StoreRecords.T0, java.time.ZoneOffset.UTC));

  @Test
  void aGoodCsvRegistersEveryDevice() {
    String csv =
        "id,name,profile,location,firmware_version,bound_certificate_sha256,tags\n"
            + "board-1,Kitchen,b-l475e-iot01a,\"Lab, bench 2\",1.2.0,"
            + SHA.toUpperCase(java.util.Locale.ROOT)
            + ",site=lab;floor=2\r\n"
            + "board-2,\"Hall \"\"north\"\"\",,,,,\n"
            + "\n";

    ImportResult result = registry.importDevices(new StringReader(csv), ImportFormat.CSV);

    assertThat(result).isEqualTo(new ImportResult.Imported(2, 0));
    DeviceDetail one = fleet.device("board-1").orElseThrow();
    assertThat(one.registration())
        .isEqualTo(
            new DeviceRegistration(
                "board-1",
                Optional.of("Kitchen"),
                "b-l475e-iot01a",
                Optional.of("Lab, bench 2"),
                Optional.of("1.2.0"),
                Optional.of(SHA),
                Map.of("site", "lab", "floor", "2")));
    assertThat(one.registeredVia()).isEqualTo(RegisteredVia.IMPORT);
    assertThat(one.state()).isEqualTo(DeviceState.NEVER_SEEN);
    assertThat(fleet.device("board-2").orElseThrow().registration().name())
        .contains("Hall \"north\"");
    assertThat(fleet.device("board-2").orElseThrow().registration().profile()).isEqualTo("default");

    // Importing again updates, never duplicates.
    assertThat(registry.importDevices(new StringReader(csv), ImportFormat.CSV))
        .isEqualTo(new ImportResult.Imported(0, 2));
  }

  @Test
  void aGoodJsonRegistersEveryDevice() {
    registry.registerProfile(
        new DeviceProfile("greenhouse", Duration.ofSeconds(30), 4, Optional.of("slow sensors")));
    String json =
        """
        [
          {"id": "gh-1", "name": "Greenhouse 1", "profile": "greenhouse",
           "tags": {"zone": "a"}},
          {"id": "gh-2", "firmware_version": "0.9", "location": null}
        ]
        """;

    ImportResult result = registry.importDevices(new StringReader(json), ImportFormat.JSON);

    assertThat(result).isEqualTo(new ImportResult.Imported(2, 0));
    assertThat(fleet.devices(DeviceQuery.all().withProfile("greenhouse")).items())
        .extracting(DeviceView::id, DeviceView::tags)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("gh-1", Map.of("zone", "a")));
    assertThat(fleet.device("gh-2").orElseThrow().registration().firmwareVersion()).contains("0.9");
  }

  @Test
  void badCsvRowsAreRefusedWithLineNumbersAndNothingIsWritten() {
    String csv =
        "id,name,profile,tags\n"
            + "ok-1,Fine,default,\n" // line 2: valid, but must not be written
            + "ok-2,Unknown,no-such-profile,\n" // line 3
            + "ok-1,Again,default,\n" // line 4
            + "bad-tags,x,default,site\n" // line 5
            + ",no id,default,\n" // line 6
            + "\"multi\nline\",x,default,\n" // line 7: id with a line break
            + "short,row\n"; // line 9

    ImportResult result = registry.importDevices(new StringReader(csv), ImportFormat.CSV);

    assertThat(result).isInstanceOf(ImportResult.Rejected.class);
    List<ImportError> errors = ((ImportResult.Rejected) result).errors();
    assertThat(errors)
        .extracting(ImportError::line, ImportError::record, ImportError::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, 2, Reason.UNKNOWN_PROFILE),
            org.assertj.core.groups.Tuple.tuple(4, 3, Reason.DUPLICATE_ID),
            org.assertj.core.groups.Tuple.tuple(5, 4, Reason.BAD_TAG),
            org.assertj.core.groups.Tuple.tuple(6, 5, Reason.MISSING_ID),
            org.assertj.core.groups.Tuple.tuple(7, 6, Reason.INVALID_ID),
            org.assertj.core.groups.Tuple.tuple(9, 7, Reason.MALFORMED));
    assertThat(errors.get(1).describe())
        .isEqualTo("line 4 (record 3): duplicate_id [id]: 'ok-1' already on line 2");
    assertThat(FleetTestStore.one(db, "SELECT count(*) FROM devices")).isEqualTo("0");
  }

  @Test
  void badJsonIsRefusedWithLineNumbers() {
    String json =
        """
        [
          {"id": "j-1", "tags": {"Bad Key": "x"}},
          {"id": "j-2", "colour": "red"},
          {"id": "j-3", "bound_certificate_sha256": "zz"}
        ]
        """;

    ImportResult result = registry.importDevices(new StringReader(json), ImportFormat.JSON);

    assertThat(((ImportResult.Rejected) result).errors())
        .extracting(ImportError::line, ImportError::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, Reason.BAD_TAG),
            org.assertj.core.groups.Tuple.tuple(3, Reason.UNKNOWN_FIELD),
            org.assertj.core.groups.Tuple.tuple(4, Reason.BAD_CERTIFICATE_FINGERPRINT));
    assertThat(
            ((ImportResult.Rejected)
                    registry.importDevices(
                        new StringReader("[{\"id\": \"x\",]"), ImportFormat.JSON))
                .errors())
        .extracting(ImportError::reason)
        .containsExactly(Reason.MALFORMED);
    assertThat(
            ((ImportResult.Rejected) registry.importDevices(new StringReader(""), ImportFormat.CSV))
                .errors())
        .extracting(ImportError::reason)
        .containsExactly(Reason.EMPTY_INPUT);
    assertThat(FleetTestStore.one(db, "SELECT count(*) FROM devices")).isEqualTo("0");
  }

  @Test
  void aCertificateIsBoundToOneDeviceAtMost() {
    String csv = "id,bound_certificate_sha256\n" + "c-1," + SHA + "\n" + "c-2," + SHA + "\n";
    assertThat(
            ((ImportResult.Rejected)
                    registry.importDevices(new StringReader(csv), ImportFormat.CSV))
                .errors())
        .extracting(ImportError::line, ImportError::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, Reason.CERTIFICATE_BOUND_ELSEWHERE));

    assertThat(
            registry.importDevices(
                new StringReader("id,bound_certificate_sha256\nc-1," + SHA + "\n"),
                ImportFormat.CSV))
        .isEqualTo(new ImportResult.Imported(1, 0));
    assertThat(
            registry.registerDevice(
                new DeviceRegistration(
                    "c-2",
                    Optional.empty(),
                    "default",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(SHA),
                    Map.of())))
        .isEqualTo(
            new RegistrationOutcome.Refused(
                "c-2",
                Reason.CERTIFICATE_BOUND_ELSEWHERE,
                "the certificate is already bound to device 'c-1'"));
    assertThat(
            ((ImportResult.Rejected)
                    registry.importDevices(
                        new StringReader("id,bound_certificate_sha256\nc-3," + SHA + "\n"),
                        ImportFormat.CSV))
                .errors()
                .get(0)
                .describe())
        .isEqualTo(
            "line 2 (record 1): certificate_bound_elsewhere [bound_certificate_sha256]: already"
                + " bound to device 'c-1'");
  }

  @Test
  void singleRegistrationsRefuseUnknownProfilesAndKeepTrafficState() {
    assertThat(
            registry.registerDevice(
                new DeviceRegistration(
                    "d-1",
                    Optional.empty(),
                    "nope",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Map.of())))
        .isEqualTo(
            new RegistrationOutcome.Refused(
                "d-1", Reason.UNKNOWN_PROFILE, "profile 'nope' is not registered"));
    assertThat(registry.registerDevice(DeviceRegistration.of("d-1")))
        .isEqualTo(new RegistrationOutcome.Registered("d-1", true));
    assertThat(registry.registerDevice(DeviceRegistration.of("d-1")))
        .isEqualTo(new RegistrationOutcome.Registered("d-1", false));
    assertThat(
            registry.registerGateway(
                new GatewayRegistration("gw-9", Optional.of("Roof"), Optional.empty(), Map.of())))
        .isEqualTo(new RegistrationOutcome.Registered("gw-9", true));
    assertThat(fleet.gateway("gw-9").orElseThrow().gateway().name()).contains("Roof");
    assertThat(fleet.device("d-1").orElseThrow().registeredVia()).isEqualTo(RegisteredVia.API);
  }
}
