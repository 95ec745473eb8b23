package io.auditgate.web.api;

import io.auditgate.fleet.ConnectivitySpan;
import io.auditgate.fleet.DeviceDetail;
import io.auditgate.fleet.DeviceQuery;
import io.auditgate.fleet.DeviceState;
import io.auditgate.fleet.EventQuery;
import io.auditgate.fleet.FleetEvent;
import io.auditgate.fleet.FleetReadModel;
import io.auditgate.fleet.FleetRegistry;
import io.auditgate.fleet.GatewayQuery;
import io.auditgate.fleet.GatewayState;
import io.auditgate.fleet.ImportFormat;
import io.auditgate.fleet.ImportResult;
import io.auditgate.fleet.LatestReading;
import io.auditgate.fleet.LatestReadingsQuery;
import io.auditgate.fleet.RegistrationOutcome;
import io.auditgate.fleet.SeriesBucket;
import io.auditgate.web.http.ApiProblem;
import io.auditgate.web.http.QueryParameters;
import io.auditgate.web.http.Request;
import io.auditgate.web.http.Response;
import io.auditgate.web.http.Route;
import io.auditgate.web.tokens.Scope;
import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The fleet API under {@code /api/v1}: reads over {@link FleetReadModel} (token scope {@code
 * read}), registry changes over {@link FleetRegistry} (scope {@code write}). Each handler turns
 * query parameters into the fleet's query records and the answer into JSON; bounds the fleet
 * rejects ({@link IllegalArgumentException}) become 400s naming the problem. Documented in {@code
 * openapi.json} and docs/api.md.
 *
 * <p>Thread-safety: immutable; the read model and registry are thread-safe by contract. Handlers
 * block on the database.
 */
public final class FleetApi {
  static final String PREFIX = "/api/v1";
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{1,64}$");
  private static final Set<Scope> READ = Set.of(Scope.READ);
  private static final Set<Scope> WRITE = Set.of(Scope.WRITE);
  private static final Duration MAX_RANGE = Duration.ofDays(366);

  private final FleetReadModel fleet;
  private final FleetRegistry registry;
  private final Clock clock;

  public FleetApi(FleetReadModel fleet, FleetRegistry registry, Clock clock) {
    this.fleet = Objects.requireNonNull(fleet, "fleet");
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Every route, literal paths before templated ones where they overlap. */
  public List<Route> routes() {
    return List.of(
        Route.get(PREFIX + "/summary", READ, this::summary),
        Route.post(PREFIX + "/devices/import", WRITE, this::importDevices),
        Route.get(PREFIX + "/devices", READ, this::devices),
        Route.get(PREFIX + "/devices/{id}", READ, this::device),
        Route.put(PREFIX + "/devices/{id}", WRITE, this::putDevice),
        Route.get(PREFIX + "/devices/{id}/telemetry", READ, this::telemetry),
        Route.get(PREFIX + "/devices/{id}/connectivity", READ, this::connectivity),
        Route.get(PREFIX + "/readings/latest", READ, this::latestReadings),
        Route.get(PREFIX + "/gateways/samples", READ, this::gatewaySamples),
        Route.get(PREFIX + "/gateways", READ, this::gateways),
        Route.get(PREFIX + "/gateways/{id}", READ, this::gateway),
        Route.get(PREFIX + "/events", READ, this::events),
        Route.get(PREFIX + "/profiles", READ, this::profiles),
        Route.put(PREFIX + "/profiles/{name}", WRITE, this::putProfile),
        Route.get(PREFIX + "/certificates/posture", READ, this::certificatePosture));
  }

  private Response summary(Request r) {
    Duration window =
        r.parameters()
            .duration("window", Duration.ofSeconds(1), Duration.ofDays(31))
            .orElse(Duration.ofHours(1));
    return Response.ok(bounded(() -> fleet.summary(window)));
  }

  private Response devices(Request r) {
    QueryParameters p = r.parameters();
    DeviceQuery query =
        DeviceQuery.all()
            .page(
                p.integer("limit", 1, 1000).orElse(100),
                p.integer("offset", 0, 10_000_000).orElse(0));
    Optional<String> state = p.string("state");
    if (state.isPresent()) {
      query =
          query.withState(
              DeviceState.fromWireName(state.get())
                  .orElseThrow(
                      () ->
                          ApiProblem.badParameter(
                              "state",
                              "must be one of active, stale, offline, never_seen, got '"
                                  + state.get()
                                  + "'")));
    }
    Optional<String> gateway = p.string("gateway");
    if (gateway.isPresent()) {
      query = query.withGateway(id("gateway", gateway.get()));
    }
    Optional<String> profile = p.string("profile");
    if (profile.isPresent()) {
      query = query.withProfile(profile.get());
    }
    Optional<String> tag = p.string("tag");
    if (tag.isPresent()) {
      String[] kv = tag.get().split("[=:]", 2);
      if (kv.length != 2) {
        throw ApiProblem.badParameter("tag", "must be key=value, got '" + tag.get() + "'");
      }
      DeviceQuery base = query;
      query = bounded("tag", () -> base.withTag(kv[0], kv[1]));
    }
    Optional<String> text = p.string("q");
    if (text.isPresent()) {
      query = query.withText(text.get());
    }
    Optional<String> sort = p.string("sort");
    if (sort.isPresent()) {
      String key = sort.get();
      boolean desc = key.startsWith("-");
      String name = (desc ? key.substring(1) : key).toUpperCase(Locale.ROOT);
      DeviceQuery.Sort by =
          Arrays.stream(DeviceQuery.Sort.values())
              .filter(s -> s.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiProblem.badParameter(
                          "sort",
                          "must be id, name, state, last_telemetry or last_connect, optionally"
                              + " prefixed by - for descending; got '"
                              + key
                              + "'"));
      query = query.sortedBy(by, desc);
    }
    DeviceQuery finalQuery = query;
    return Response.ok(bounded(() -> fleet.devices(finalQuery)));
  }

  private Response device(Request r) {
    String id = id("id", r.pathParameter("id"));
    Duration window =
        r.parameters()
            .duration("window", Duration.ofSeconds(1), Duration.ofDays(31))
            .orElse(Duration.ofHours(24));
    return Response.ok(existingDevice(id, window));
  }

  private DeviceDetail existingDevice(String id, Duration window) {
    return bounded(() -> fleet.device(id, window))
        .orElseThrow(() -> ApiProblem.notFound("device", id));
  }

  private Response putDevice(Request r) {
    String id = id("id", r.pathParameter("id"));
    RegistrationOutcome outcome = registry.registerDevice(RegistryBodies.device(id, r));
    if (outcome instanceof RegistrationOutcome.Refused refused) {
      throw new ApiProblem(
          422, "invalid_device", refused.message(), Map.of("reason", refused.reason().wireName()));
    }
    boolean created = ((RegistrationOutcome.Registered) outcome).created();
    return Response.json(created ? 201 : 200, existingDevice(id, Duration.ofHours(24)));
  }

  private Response importDevices(Request r) {
    ImportFormat format =
        switch (r.contentType()) {
          case "text/csv" -> ImportFormat.CSV;
          case "application/json" -> ImportFormat.JSON;
          default ->
              throw new ApiProblem(
                  415,
                  "unsupported_media_type",
                  "an import is text/csv or application/json, got '" + r.contentType() + "'");
        };
    ImportResult result = registry.importDevices(new StringReader(r.bodyText()), format);
    if (result instanceof ImportResult.Rejected rejected) {
      List<Map<String, Object>> errors = new ArrayList<>();
      rejected
          .errors()
          .forEach(
              e -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("line", e.line());
                m.put("record", e.record());
                m.put("reason", e.reason().wireName());
                m.put("field", e.field().orElse(null));
                m.put("message", e.message());
                errors.add(m);
              });
      throw new ApiProblem(
          422,
          "invalid_import",
          rejected.errors().size() + " record(s) are invalid; nothing was imported",
          Map.of("errors", errors));
    }
    ImportResult.Imported imported = (ImportResult.Imported) result;
    return Response.ok(Map.of("created", imported.created(), "updated", imported.updated()));
  }

  private Response telemetry(Request r) {
    String id = id("id", r.pathParameter("id"));
    QueryParameters p = r.parameters();
    Range range = range(p, Duration.ofHours(24));
    Duration bucket =
        p.duration("bucket", Duration.ofSeconds(1), Duration.ofDays(31))
            .orElse(Bucketing.auto(range.length(), Duration.ofSeconds(1)));
    if (range.length().dividedBy(bucket) > FleetReadModel.MAX_BUCKETS) {
      throw ApiProblem.badParameter(
          "bucket",
          "gives more than " + FleetReadModel.MAX_BUCKETS + " buckets over the range; widen it");
    }
    // One cheap lookup tells a device with no data from one that does not exist (404).
    DeviceDetail device = existingDevice(id, Duration.ofSeconds(1));
    Set<String> metrics = new LinkedHashSet<>(list(p, "metric"));
    if (metrics.isEmpty()) {
      device.latestReadings().forEach(reading -> metrics.add(reading.metric()));
    }
    List<Map<String, Object>> series = new ArrayList<>();
    for (String metric : metrics) {
      List<SeriesBucket> buckets =
          bounded(() -> fleet.series(id, metric, range.from(), range.to(), bucket));
      series.add(Map.of("metric", metric, "buckets", buckets));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("device_id", id);
    body.put("from", range.from());
    body.put("to", range.to());
    body.put("bucket", bucket);
    body.put("series", series);
    return Response.ok(body);
  }

  private Response connectivity(Request r) {
    String id = id("id", r.pathParameter("id"));
    Range range = range(r.parameters(), Duration.ofHours(24));
    existingDevice(id, Duration.ofSeconds(1));
    List<ConnectivitySpan> spans = bounded(() -> fleet.connectivity(id, range.from(), range.to()));
    return Response.ok(
        Map.of("device_id", id, "from", range.from(), "to", range.to(), "spans", spans));
  }

  private Response latestReadings(Request r) {
    QueryParameters p = r.parameters();
    Set<String> devices = new LinkedHashSet<>();
    for (String d : list(p, "device")) {
      devices.add(id("device", d));
    }
    Set<String> metrics = new LinkedHashSet<>(list(p, "metric"));
    int limit = p.integer("limit", 1, 10_000).orElse(1000);
    List<LatestReading> items =
        bounded(() -> fleet.latestReadings(new LatestReadingsQuery(devices, metrics, limit)));
    return Response.ok(Map.of("items", items));
  }

  private Response gateways(Request r) {
    QueryParameters p = r.parameters();
    Optional<GatewayState> state =
        p.string("state")
            .map(
                s ->
                    GatewayState.fromWireName(s)
                        .orElseThrow(
                            () ->
                                ApiProblem.badParameter(
                                    "state",
                                    "must be one of up, down, restarted, upstream_interrupted,"
                                        + " got '"
                                        + s
                                        + "'")));
    GatewayQuery query =
        new GatewayQuery(
            state,
            p.string("q"),
            p.integer("limit", 1, 1000).orElse(100),
            p.integer("offset", 0, 10_000_000).orElse(0));
    return Response.ok(bounded(() -> fleet.gateways(query)));
  }

  private Response gateway(Request r) {
    String id = id("id", r.pathParameter("id"));
    return Response.ok(
        bounded(() -> fleet.gateway(id)).orElseThrow(() -> ApiProblem.notFound("gateway", id)));
  }

  private Response gatewaySamples(Request r) {
    QueryParameters p = r.parameters();
    Range range = range(p, Duration.ofHours(1));
    Duration bucket =
        p.duration("bucket", Duration.ofMinutes(1), Duration.ofDays(31))
            .orElse(Bucketing.auto(range.length(), Duration.ofMinutes(1)));
    if (bucket.toSeconds() % 60 != 0 || bucket.toNanosPart() != 0) {
      throw ApiProblem.badParameter("bucket", "must be a whole number of minutes");
    }
    if (range.length().dividedBy(bucket) > FleetReadModel.MAX_BUCKETS) {
      throw ApiProblem.badParameter(
          "bucket",
          "gives more than " + FleetReadModel.MAX_BUCKETS + " buckets over the range; widen it");
    }
    // Align to the bucket so consecutive refreshes show the same buckets.
    Instant from = align(range.from(), bucket);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("from", from);
    body.put("to", range.to());
    body.put("bucket", bucket);
    body.put("gateways", bounded(() -> fleet.samplesPerGateway(from, range.to(), bucket)));
    return Response.ok(body);
  }

  private Response events(Request r) {
    QueryParameters p = r.parameters();
    Set<FleetEvent.Kind> kinds = EnumSet.noneOf(FleetEvent.Kind.class);
    for (String k : list(p, "kind")) {
      kinds.add(
          Arrays.stream(FleetEvent.Kind.values())
              .filter(kind -> kind.wireName().equals(k))
              .findFirst()
              .orElseThrow(
                  () ->
                      ApiProblem.badParameter(
                          "kind",
                          "must be state_change, gateway_event or connectivity, got '" + k + "'")));
    }
    Optional<String> device = p.string("device").map(d -> id("device", d));
    Optional<String> gateway = p.string("gateway").map(g -> id("gateway", g));
    Optional<Instant> from = p.instant("from");
    Optional<Instant> to = p.instant("to");
    if (from.isPresent() && to.isPresent() && !to.get().isAfter(from.get())) {
      throw ApiProblem.badParameter("to", "must be after from");
    }
    EventQuery query =
        new EventQuery(
            device,
            gateway,
            kinds,
            from,
            to,
            p.integer("limit", 1, 1000).orElse(100),
            p.integer("offset", 0, 10_000_000).orElse(0));
    return Response.ok(bounded(() -> fleet.events(query)));
  }

  private Response profiles(Request r) {
    return Response.ok(Map.of("items", bounded(fleet::profiles)));
  }

  private Response putProfile(Request r) {
    String name = r.pathParameter("name");
    RegistrationOutcome outcome = registry.registerProfile(RegistryBodies.profile(name, r));
    if (outcome instanceof RegistrationOutcome.Refused refused) {
      throw new ApiProblem(
          422, "invalid_profile", refused.message(), Map.of("reason", refused.reason().wireName()));
    }
    boolean created = ((RegistrationOutcome.Registered) outcome).created();
    return Response.json(
        created ? 201 : 200,
        bounded(fleet::profiles).stream()
            .filter(profile -> profile.name().equals(name))
            .findFirst()
            .orElseThrow(() -> ApiProblem.notFound("profile", name)));
  }

  private Response certificatePosture(Request r) {
    return Response.ok(bounded(fleet::certificatePosture));
  }

  /** {@code from}/{@code to}, or {@code window} back from now; {@code to} defaults to now. */
  private record Range(Instant from, Instant to) {
    Duration length() {
      return Duration.between(from, to);
    }
  }

  private Range range(QueryParameters p, Duration defaultWindow) {
    Optional<Duration> window = p.duration("window", Duration.ofSeconds(1), MAX_RANGE);
    Instant to = p.instant("to").orElse(clock.instant());
    Optional<Instant> fromGiven = p.instant("from");
    if (fromGiven.isPresent() && window.isPresent()) {
      throw ApiProblem.badParameter("window", "give either from or window, not both");
    }
    Instant from = fromGiven.orElse(to.minus(window.orElse(defaultWindow)));
    if (!to.isAfter(from)) {
      throw ApiProblem.badParameter("to", "must be after from");
    }
    if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
      throw ApiProblem.badParameter("from", "the range may span at most 366 days");
    }
    return new Range(from, to);
  }

  private static Instant align(Instant t, Duration bucket) {
    long seconds = bucket.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(t.getEpochSecond(), seconds) * seconds);
  }

  /** A comma-separated list parameter ({@code metric=temperature,humidity}), ≤ 1000 items. */
  private static List<String> list(QueryParameters p, String name) {
    return p.list(name, 1000);
  }

  private static String id(String parameter, String value) {
    if (!ID.matcher(value).matches()) {
      throw ApiProblem.badParameter(
          parameter, "must match ^[A-Za-z0-9_-]{1,64}$, got '" + shorten(value) + "'");
    }
    return value;
  }

  private static String shorten(String value) {
    return value.length() > 70 ? value.substring(0, 64) + "..." : value;
  }

  /** Runs a read; the fleet's bound checks become a 400. */
  private static <T> T bounded(Supplier<T> read) {
    return bounded("request", read);
  }

  private static <T> T bounded(String parameter, Supplier<T> read) {
    try {
      return read.get();
    } catch (IllegalArgumentException e) {
      throw new ApiProblem(400, "bad_request", e.getMessage(), Map.of("parameter", parameter));
    }
  }
}
