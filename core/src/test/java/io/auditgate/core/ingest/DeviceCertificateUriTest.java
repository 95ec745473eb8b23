package io.auditgate.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceCertificateUriTest {
  @Test
  void roundTripsADeviceId() {
    assertThat(DeviceCertificateUri.of("sensor-01")).isEqualTo("urn:auditgate:device:sensor-01");
    assertThat(DeviceCertificateUri.deviceId("urn:auditgate:device:sensor-01"))
        .contains("sensor-01");
  }

  @Test
  void refusesWhatIsNotADeviceId() {
    assertThat(DeviceCertificateUri.deviceId("urn:auditgate:device:")).isEmpty();
    assertThat(DeviceCertificateUri.deviceId("urn:auditgate:device:a/b")).isEmpty();
    assertThat(DeviceCertificateUri.deviceId("urn:other:sensor-01")).isEmpty();
    assertThat(DeviceCertificateUri.isDeviceUri("urn:auditgate:device:a/b")).isTrue();
    assertThatThrownBy(() -> DeviceCertificateUri.of("a b"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
