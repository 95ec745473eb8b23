package io.auditgate.app.config;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import io.auditgate.core.config.AuditgateConfig;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.KafkaConfig;
import io.auditgate.core.config.StoreConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Builds the one configuration tree. Precedence, lowest first: the record defaults, the YAML file,
 * environment variables ({@code AUDITGATE_SECTION__KEY=value}, for example {@code
 * AUDITGATE_WAL__SEGMENT_SIZE=128MiB}), then {@code --set section.key=value} flags. Unknown keys
 * and invalid values stop start-up with a {@link ConfigException} naming the key; a section that
 * moved (the certificate sections, now under {@code certificates}) is named with its new place.
 * This is the only place that reads the environment.
 */
public final class ConfigLoader {
  static final String ENV_PREFIX = "AUDITGATE_";

  /**
   * Top-level sections that moved under {@code certificates:}, old key to new subsection. Kept so a
   * file (or variable, or flag) written for the old layout stops start-up with the new place rather
   * than the generic "unknown key".
   */
  static final Map<String, String> MOVED_TO_CERTIFICATES =
      Map.of(
          "enrolment", "enrolment",
          "revocation", "revocation",
          "certificate_inventory", "inventory",
          "certificate_renewal", "renewal",
          "certificate_alerts", "alerts");

  private final ObjectMapper yaml;

  public ConfigLoader() {
    SimpleModule units = new SimpleModule("auditgate-units");
    units.addDeserializer(DataSize.class, new DataSizeDeserializer());
    units.addSerializer(
        DataSize.class, new ToStringSerializer<>(DataSize.class, DataSize::toString));
    units.addDeserializer(Duration.class, new DurationDeserializer());
    units.addSerializer(
        Duration.class, new ToStringSerializer<>(Duration.class, Durations::format));
    units.addSerializer(Path.class, new ToStringSerializer<>(Path.class, Path::toString));
    this.yaml =
        JsonMapper.builder(
                new YAMLFactory()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(units)
            .addModule(new Jdk8Module())
            .build();
  }

  /**
   * Loads the configuration.
   *
   * @param file the YAML file, if any
   * @param env the environment (pass {@code System.getenv()} from the entry point only)
   * @param overrides {@code section.key=value} pairs from the command line
   * @throws ConfigException naming the key, for anything missing, unknown or invalid
   */
  public AuditgateConfig load(
      Optional<Path> file, Map<String, String> env, List<String> overrides) {
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    if (file.isPresent()) {
      tree = readFile(file.get());
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith(ENV_PREFIX) && e.getKey().contains("__")) {
        String key = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        set(tree, List.of(key.split("__")), e.getValue(), "environment variable " + e.getKey());
      }
    }
    for (String override : overrides) {
      int eq = override.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException(override, "--set takes section.key=value");
      }
      set(
          tree,
          List.of(override.substring(0, eq).split("\\.")),
          override.substring(eq + 1),
          "--set " + override);
    }
    rejectMovedSections(tree);
    return bind(tree);
  }

  /** The configuration as YAML, every default filled in, secrets replaced by a marker. */
  public String toYaml(AuditgateConfig config) {
    try {
      JsonNode tree = yaml.valueToTree(config);
      redactSecrets(tree);
      return yaml.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render configuration", e);
    }
  }

  /** Printed configuration ends up in tickets and repositories: never show a secret's value. */
  private static void redactSecrets(JsonNode node) {
    if (node instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      for (String name : names) {
        JsonNode value = object.get(name);
        boolean secret =
            name.equals("password")
                || name.endsWith("_secret")
                || name.equals("token")
                || KafkaConfig.isSecretProperty(name);
        if (name.equals("jdbc_url") && value.isTextual()) {
          object.put(name, StoreConfig.redactUrl(value.textValue()));
        } else if (secret && !value.isNull() && !value.isContainerNode()) {
          object.put(name, "<redacted>");
        } else {
          redactSecrets(value);
        }
      }
    } else if (node != null && node.isArray()) {
      node.forEach(ConfigLoader::redactSecrets);
    }
  }

  private ObjectNode readFile(Path file) {
    try {
      JsonNode node = yaml.readTree(Files.readString(file));
      if (node == null || node instanceof MissingNode || node.isNull()) {
        return JsonNodeFactory.instance.objectNode();
      }
      if (!(node instanceof ObjectNode object)) {
        throw new ConfigException(file.toString(), "must be a YAML mapping of sections");
      }
      return object;
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), "no such configuration file");
    } catch (IOException e) {
      throw new ConfigException(
          file.toString(), "is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static void set(ObjectNode tree, List<String> path, String value, String origin) {
    ObjectNode node = tree;
    for (String key : path.subList(0, path.size() - 1)) {
      JsonNode child = node.get(key);
      if (child == null || !child.isObject()) {
        child = node.putObject(key);
      }
      node = (ObjectNode) child;
    }
    String leaf = path.get(path.size() - 1);
    if (leaf.isEmpty()) {
      throw new ConfigException(String.join(".", path), "empty key in " + origin);
    }
    node.put(leaf, value);
  }

  /**
   * An old certificate section is an unknown key like any other, but one whose new place we know.
   */
  private static void rejectMovedSections(ObjectNode tree) {
    for (String old : MOVED_TO_CERTIFICATES.keySet().stream().sorted().toList()) {
      if (tree.has(old)) {
        String sub = MOVED_TO_CERTIFICATES.get(old);
        throw new ConfigException(
            old,
            "moved to certificates."
                + sub
                + ": nest the section under 'certificates:' as '"
                + sub
                + ":' (environment: AUDITGATE_CERTIFICATES__"
                + sub.toUpperCase(Locale.ROOT)
                + "__KEY, flag: --set certificates."
                + sub
                + ".key=value)");
      }
    }
  }

  private AuditgateConfig bind(ObjectNode tree) {
    try {
      return yaml.treeToValue(tree, AuditgateConfig.class);
    } catch (JsonMappingException e) {
      throw explain(e);
    } catch (JsonProcessingException e) {
      throw new ConfigException("(config)", e.getOriginalMessage());
    }
  }

  /** Turns Jackson's exception into one that names the key in the file's spelling. */
  private static ConfigException explain(JsonMappingException e) {
    String path =
        e.getPath().stream()
            .map(
                ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
            .collect(Collectors.joining("."));
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigException c) {
        return c.under(parentOf(path, c.key()));
      }
    }
    if (e instanceof UnrecognizedPropertyException u) {
      List<String> known = new ArrayList<>();
      if (u.getKnownPropertyIds() != null) {
        u.getKnownPropertyIds().forEach(k -> known.add(String.valueOf(k)));
      }
      known.sort(null);
      return new ConfigException(path, "unknown key; known keys here: " + String.join(", ", known));
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String problem =
        root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
    return new ConfigException(path.isEmpty() ? "(config)" : path, problem);
  }

  /**
   * Jackson reports a record's constructor failure at the record's own path (or at its last field);
   * the exception from the constructor carries the field, so keep only the section part.
   */
  private static String parentOf(String path, String key) {
    if (path.endsWith("." + key)) {
      return path.substring(0, path.length() - key.length() - 1);
    }
    return path.equals(key) ? "" : path;
  }

  private static final class DataSizeDeserializer extends JsonDeserializer<DataSize> {
    @Override
    public DataSize deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        return DataSize.ofBytes(p.getLongValue());
      }
      return DataSize.parse(p.getValueAsString());
    }
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
        throw new IllegalArgumentException(
            p.getText()
                + " has no unit; write for example "
                + p.getText()
                + "ms or "
                + p.getText()
                + "s");
      }
      return Durations.parse(p.getValueAsString());
    }
  }

  private static final class ToStringSerializer<T> extends JsonSerializer<T> {
    private final Class<T> type;
    private final java.util.function.Function<T, String> render;

    ToStringSerializer(Class<T> type, java.util.function.Function<T, String> render) {
      this.type = type;
      this.render = render;
    }

    @Override
    public Class<T> handledType() {
      return type;
    }

    @Override
    public void serialize(T value, JsonGenerator gen, SerializerProvider serializers)
        throws IOException {
      gen.writeString(render.apply(value));
    }
  }
}
