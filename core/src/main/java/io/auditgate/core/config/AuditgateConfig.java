package io.auditgate.core.config;

import static io.auditgate.core.config.Check.orDefault;

/**
 * The whole configuration: one typed tree of records, loaded from YAML, overridden by environment
 * variables and flags, validated when it is built. Sections grow with the features.
 *
 * @param tls the listeners' certificate, key and client CA; null when none is configured, in which
 *     case a listener starts only with its explicit plaintext opt-in; the web server uses its
 *     certificate and key too
 * @param web the control plane's HTTPS API, dashboard and operations endpoints
 * @param fleet the fleet state monitor of a node with a store
 * @param enrolment the CA's device enrolment (EST) on the web server
 * @param revocation CRL and OCSP publication, and the listeners' refusal of revoked certificates
 * @param certificateInventory the certificate inventory's status rules, trust anchors and scans
 * @param certificateRenewal automatic renewal and the replacement workflow's deadlines
 * @param certificateAlerts how often certificate alerts are evaluated, and their webhook
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
    EnrolmentConfig enrolment,
    RevocationConfig revocation,
    CertificateInventoryConfig certificateInventory,
    CertificateRenewalConfig certificateRenewal,
    CertificateAlertsConfig certificateAlerts) {
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
    enrolment = orDefault(enrolment, EnrolmentConfig.defaults());
    revocation = orDefault(revocation, RevocationConfig.defaults());
    certificateInventory = orDefault(certificateInventory, CertificateInventoryConfig.defaults());
    certificateRenewal = orDefault(certificateRenewal, CertificateRenewalConfig.defaults());
    certificateAlerts = orDefault(certificateAlerts, CertificateAlertsConfig.defaults());
    Check.that(
        !consumer.enabled() || kafka.enabled(),
        "consumer.enabled",
        "the store consumer reads Kafka: set kafka.bootstrap_servers too");
  }

  /** Every section up to the fleet; the certificate sections get their defaults. */
  public AuditgateConfig(
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
      FleetConfig fleet) {
    this(
        gateway, wal, ingest, auth, tls, mqtt, http, bridge, kafka, store, consumer, dispatch,
        health, tracing, web, fleet, null, null, null, null, null);
  }

  /** The device-facing sections, with defaults for history (no Kafka, embedded store). */
  public AuditgateConfig(
      GatewayConfig gateway,
      WalConfig wal,
      IngestConfig ingest,
      AuthConfig auth,
      TlsConfig tls,
      MqttConfig mqtt,
      HttpIngestConfig http,
      BridgeConfig bridge) {
    this(
        gateway, wal, ingest, auth, tls, mqtt, http, bridge, null, null, null, null, null, null,
        null, null, null, null, null, null, null);
  }

  public AuditgateConfig withGateway(GatewayConfig gateway) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withKafka(KafkaConfig kafka) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withStore(StoreConfig store) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withConsumer(StoreConsumerConfig consumer) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withDispatch(DispatchConfig dispatch) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withHealth(HealthConfig health) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withTracing(TracingConfig tracing) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withTls(TlsConfig tls) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withWeb(WebConfig web) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withFleet(FleetConfig fleet) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withEnrolment(EnrolmentConfig enrolment) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withRevocation(RevocationConfig revocation) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withCertificateInventory(CertificateInventoryConfig certificateInventory) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withCertificateRenewal(CertificateRenewalConfig certificateRenewal) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public AuditgateConfig withCertificateAlerts(CertificateAlertsConfig certificateAlerts) {
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
        enrolment,
        revocation,
        certificateInventory,
        certificateRenewal,
        certificateAlerts);
  }

  public static AuditgateConfig defaults() {
    return new AuditgateConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null, null, null, null);
  }
}
