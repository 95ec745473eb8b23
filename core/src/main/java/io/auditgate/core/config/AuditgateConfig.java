package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

import java.util.function.Consumer;

/**
 * The whole configuration: one typed tree of records, loaded from YAML, overridden by environment
 * variables and flags, validated when it is built. Sections grow with the features.
 *
 * <p>In code, start from {@link #defaults()} and replace sections with the {@code withX} methods (a
 * null section means its default; every copy is validated again); the canonical constructor is for
 * the loader, which names every section. Immutable, hence safe to share between threads.
 *
 * @param tls the listeners' certificate, key and client CA; null when none is configured, in which
 *     case a listener starts only with its explicit plaintext opt-in; the web server uses its
 *     certificate and key too
 * @param web the control plane's HTTPS API, dashboard and operations endpoints
 * @param fleet the fleet state monitor of a node with a store
 * @param certificates the certificate control plane: enrolment, revocation, inventory, renewal and
 *     alerts
 */
public record AuditgateConfig(
    GatewayConfig gateway,
    WalConfig wal,
    IngestConfig ingest,
    AuthConfig auth,
    TlsConfig tls,
    MqttConfig mqtt,
    HttpIngestConfig http,
    BridgeConfig bridge,
    KafkaConfig kafka,
    StoreConfig store,
    StoreConsumerConfig consumer,
    DispatchConfig dispatch,
    HealthConfig health,
    TracingConfig tracing,
    WebConfig web,
    FleetConfig fleet,
    CertificatesConfig certificates) {
  public AuditgateConfig {
    gateway = orDefault(gateway, GatewayConfig.defaults());
    wal = orDefault(wal, WalConfig.defaults());
    ingest = orDefault(ingest, IngestConfig.defaults());
    auth = orDefault(auth, AuthConfig.defaults());
    mqtt = orDefault(mqtt, MqttConfig.defaults());
    http = orDefault(http, HttpIngestConfig.defaults());
    bridge = orDefault(bridge, BridgeConfig.defaults());
    kafka = orDefault(kafka, KafkaConfig.defaults());
    store = orDefault(store, StoreConfig.defaults());
    consumer = orDefault(consumer, StoreConsumerConfig.defaults());
    dispatch = orDefault(dispatch, DispatchConfig.defaults());
    health = orDefault(health, HealthConfig.defaults());
    tracing = orDefault(tracing, TracingConfig.defaults());
    web = orDefault(web, WebConfig.defaults());
    fleet = orDefault(fleet, FleetConfig.defaults());
    certificates = orDefault(certificates, CertificatesConfig.defaults());
    Check.that(
        !consumer.enabled() || kafka.enabled(),
        "consumer.enabled",
        "the store consumer reads Kafka: set kafka.bootstrap_servers too");
  }

  /** Every section at its default; no TLS material, so listeners need their plaintext opt-in. */
  public static AuditgateConfig defaults() {
    return new AuditgateConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null);
  }

  public AuditgateConfig withGateway(GatewayConfig gateway) {
    return copy(c -> c.gateway = gateway);
  }

  public AuditgateConfig withWal(WalConfig wal) {
    return copy(c -> c.wal = wal);
  }

  public AuditgateConfig withIngest(IngestConfig ingest) {
    return copy(c -> c.ingest = ingest);
  }

  public AuditgateConfig withAuth(AuthConfig auth) {
    return copy(c -> c.auth = auth);
  }

  public AuditgateConfig withTls(TlsConfig tls) {
    return copy(c -> c.tls = tls);
  }

  public AuditgateConfig withMqtt(MqttConfig mqtt) {
    return copy(c -> c.mqtt = mqtt);
  }

  public AuditgateConfig withHttp(HttpIngestConfig http) {
    return copy(c -> c.http = http);
  }

  public AuditgateConfig withBridge(BridgeConfig bridge) {
    return copy(c -> c.bridge = bridge);
  }

  public AuditgateConfig withKafka(KafkaConfig kafka) {
    return copy(c -> c.kafka = kafka);
  }

  public AuditgateConfig withStore(StoreConfig store) {
    return copy(c -> c.store = store);
  }

  public AuditgateConfig withConsumer(StoreConsumerConfig consumer) {
    return copy(c -> c.consumer = consumer);
  }

  public AuditgateConfig withDispatch(DispatchConfig dispatch) {
    return copy(c -> c.dispatch = dispatch);
  }

  public AuditgateConfig withHealth(HealthConfig health) {
    return copy(c -> c.health = health);
  }

  public AuditgateConfig withTracing(TracingConfig tracing) {
    return copy(c -> c.tracing = tracing);
  }

  public AuditgateConfig withWeb(WebConfig web) {
    return copy(c -> c.web = web);
  }

  public AuditgateConfig withFleet(FleetConfig fleet) {
    return copy(c -> c.fleet = fleet);
  }

  public AuditgateConfig withCertificates(CertificatesConfig certificates) {
    return copy(c -> c.certificates = certificates);
  }

  /** This configuration with the one change applied, validated again as a new record. */
  private AuditgateConfig copy(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /**
   * A mutable working copy of the sections, so that each {@code withX} names only the section it
   * replaces instead of repeating all of them. Never escapes this class.
   */
  private static final class Copy {
    private GatewayConfig gateway;
    private WalConfig wal;
    private IngestConfig ingest;
    private AuthConfig auth;
    private TlsConfig tls;
    private MqttConfig mqtt;
    private HttpIngestConfig http;
    private BridgeConfig bridge;
    private KafkaConfig kafka;
    private StoreConfig store;
    private StoreConsumerConfig consumer;
    private DispatchConfig dispatch;
    private HealthConfig health;
    private TracingConfig tracing;
    private WebConfig web;
    private FleetConfig fleet;
    private CertificatesConfig certificates;

    private Copy(AuditgateConfig from) {
      gateway = from.gateway;
      wal = from.wal;
      ingest = from.ingest;
      auth = from.auth;
      tls = from.tls;
      mqtt = from.mqtt;
      http = from.http;
      bridge = from.bridge;
      kafka = from.kafka;
      store = from.store;
      consumer = from.consumer;
      dispatch = from.dispatch;
      health = from.health;
      tracing = from.tracing;
      web = from.web;
      fleet = from.fleet;
      certificates = from.certificates;
    }

    private AuditgateConfig build() {
      return new AuditgateConfig(
          gateway,
          wal,
          ingest,
          auth,
          tls,
          mqtt,
          http,
          bridge,
          kafka,
          store,
          consumer,
          dispatch,
          health,
          tracing,
          web,
          fleet,
          certificates);
    }
  }
}
