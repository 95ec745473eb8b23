package io.auditgate.web.api;

import io.auditgate.fleet.DeviceProfile;
import io.auditgate.fleet.DeviceRegistration;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Request;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON bodies of {@code PUT /api/v1/devices/{id}} and {@code PUT /api/v1/profiles/{name}}, read
 * strictly (an unknown member is a 400: a typo must not silently drop a field) and turned into the
 * fleet's records, whose constructors validate them.
 */
final class RegistryBodies {
  private RegistryBodies() {}

  /** {@code {"name","profile","location","firmware_version","bound_certificate_sha256","tags"}}. */
  record DeviceBody(
      String id,
      String name,
      String profile,
      String location,
      String firmwareVersion,
      String boundCertificateSha256,
      Map<String, String> tags) {}

  /** {@code {"expected_interval":"30s","stale_after_intervals":3,"description":"..."}}. */
  record ProfileBody(String expectedInterval, Integer staleAfterIntervals, String description) {}

  static DeviceRegistration device(String id, Request request) {
    DeviceBody body = ApiRequests.json(request, DeviceBody.class);
    if (body.id() != null && !body.id().equals(id)) {
      throw ApiProblem.badParameter(
          "id", "the body names device '" + body.id() + "' but the path names '" + id + "'");
    }
    try {
      return new DeviceRegistration(
          id,
          Optional.ofNullable(body.name()),
          body.profile() == null ? DeviceProfile.DEFAULT : body.profile(),
          Optional.ofNullable(body.location()),
          Optional.ofNullable(body.firmwareVersion()),
          Optional.ofNullable(body.boundCertificateSha256()),
          body.tags() == null ? Map.of() : body.tags());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiProblem(400, "bad_request", "invalid device: " + e.getMessage());
    }
  }

  static DeviceProfile profile(String name, Request request) {
    ProfileBody body = ApiRequests.json(request, ProfileBody.class);
    if (body.expectedInterval() == null) {
      throw ApiProblem.badParameter("expected_interval", "is required (for example 30s)");
    }
    Duration interval = Durations.parse(body.expectedInterval());
    if (interval == null) {
      throw ApiProblem.badParameter(
          "expected_interval",
          "must be a duration such as 30s or PT30S, got " + body.expectedInterval());
    }
    try {
      return new DeviceProfile(
          name,
          interval,
          body.staleAfterIntervals() == null ? 3 : body.staleAfterIntervals(),
          Optional.ofNullable(body.description()));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ApiProblem(400, "bad_request", "invalid profile: " + e.getMessage());
    }
  }
}
