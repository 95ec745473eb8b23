package io.auditgate.web.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.auditgate.fleet.CertificatePosture;
import io.auditgate.fleet.FleetEvent;
import java.io.IOException;
import java.util.Locale;

/**
 * The API's JSON conventions in one mapper: snake_case members, times as RFC 3339 UTC strings,
 * durations as ISO-8601 strings, empty {@code Optional}s as null, enum constants in lower case
 * ({@code never_seen}). Thread-safe once built.
 */
public final class Json {
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .addModule(new Jdk8Module())
          .addModule(new JavaTimeModule())
          .addModule(new SimpleModule("auditgate-enums").addSerializer(Enum.class, new LowerEnum()))
          .addMixIn(FleetEvent.class, FleetEventMixIn.class)
          .addMixIn(CertificatePosture.class, CertificatePostureMixIn.class)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .build();

  private Json() {}

  /** An event's details are stored as JSON text; clients get them as a JSON object. */
  private abstract static class FleetEventMixIn {
    @JsonRawValue
    @JsonProperty("details")
    abstract String detailsJson();
  }

  /**
   * Snake case would split the digits off as {@code expiring_within30_days}; the API spells the
   * number as a word of its own.
   */
  private abstract static class CertificatePostureMixIn {
    @JsonProperty("expiring_within_30_days")
    abstract long expiringWithin30Days();
  }

  @SuppressWarnings("rawtypes")
  private static final class LowerEnum extends JsonSerializer<Enum> {
    @Override
    public void serialize(Enum value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(value.name().toLowerCase(Locale.ROOT));
    }
  }
}
