package io.auditgate.web.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.Json;
import io.auditgate.web.http.Request;
import java.util.regex.Pattern;

/**
 * What the API's handlers read from a request the same way everywhere: a certificate's SHA-256
 * fingerprint in the path, and a JSON body read strictly (an unknown member is a 400: a typo must
 * not silently drop a field). Stateless.
 */
final class ApiRequests {
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  private ApiRequests() {}

  /** The {@code {sha256}} path parameter: 64 lower-case hex digits, else a 400. */
  static String sha256(Request r) {
    return sha256(r.pathParameter("sha256"));
  }

  /** A {@code sha256} parameter's value: 64 lower-case hex digits, else a 400. */
  static String sha256(String sha256) {
    if (!SHA256.matcher(sha256).matches()) {
      throw ApiProblem.badParameter("sha256", "must be 64 lower-case hex digits");
    }
    return sha256;
  }

  /** The body as {@code type}: 415 unless it is JSON, 400 when it is not one valid object. */
  static <T> T json(Request request, Class<T> type) {
    if (!request.contentType().equals("application/json")) {
      throw new ApiProblem(
          415,
          "unsupported_media_type",
          "the body must be application/json, got '" + request.contentType() + "'");
    }
    try {
      T value =
          Json.MAPPER
              .readerFor(type)
              .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
              .readValue(request.body());
      if (value == null) {
        throw new ApiProblem(400, "bad_request", "the body must be a JSON object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiProblem.badParameter(e.getPropertyName(), "is not a known member");
    } catch (JsonProcessingException e) {
      throw new ApiProblem(
          400, "bad_request", "the body is not valid JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw new ApiProblem(400, "bad_request", "the body cannot be read: " + e.getMessage());
    }
  }
}
