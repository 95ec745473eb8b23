package io.auditgate.app.reliability;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.embedded.EmbeddedKafka;
import io.auditgate.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * What one reliability test class breaks: a real single-node Kafka (KRaft, in this JVM) and a real
 * PostgreSQL, started once per class, and the certificates of a development CA (the gateway's
 * server certificate, one client certificate per simulated board). Each test takes a {@link
 * Scenario} of its own: a fresh database, its own gateway id, consumer group and topics, so that no
 * test sees another's rows or records.
 *
 * <p>Tests may stop Kafka or PostgreSQL; {@link #restoreEverything()} (after each test) starts them
 * again, so a failed test does not take the next one down with it.
 */
final class ReliabilityHarness implements AutoCloseable {
  private final Path dir;
  private final Pki pki;
  private final EmbeddedPostgres postgres;
  private final Optional<EmbeddedKafka> kafka;

  /** The development CA's files: its root, the gateway's server pair, the boards' pairs. */
  record Pki(Path rootCa, Path serverCertificate, Path serverKey, Path devices) {
    static Pki issue(Path dir, List<String> deviceIds) {
      DevCertificateAuthority ca =
          DevCertificateAuthority.create(
              dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
      PemFiles server =
          ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(2))
              .writePem(dir.resolve("tls"), "server");
      for (String id : deviceIds) {
        ca.issueDevice(id, Validity.days(2)).writePem(dir.resolve("devices"), id);
      }
      return new Pki(
          ca.rootCertificateFile(),
          server.certificateChain(),
          server.privateKey(),
          dir.resolve("devices"));
    }
  }

  private ReliabilityHarness(
      Path dir, Pki pki, EmbeddedPostgres postgres, Optional<EmbeddedKafka> kafka) {
    this.dir = dir;
    this.pki = pki;
    this.postgres = postgres;
    this.kafka = kafka;
  }

  /** PostgreSQL, and Kafka too when {@code withKafka}; everything under {@code dir}. */
  static ReliabilityHarness start(Path dir, boolean withKafka) {
    Pki pki = Pki.issue(dir.resolve("pki"), Load.deviceIds());
    EmbeddedPostgres postgres = EmbeddedPostgres.start(dir.resolve("postgres"));
    try {
      Optional<EmbeddedKafka> kafka =
          withKafka ? Optional.of(EmbeddedKafka.start(dir.resolve("kafka"))) : Optional.empty();
      return new ReliabilityHarness(dir, pki, postgres, kafka);
    } catch (RuntimeException e) {
      postgres.close();
      throw e;
    }
  }

  /**
   * A scenario with topics of its own ({@code <name>.telemetry.v1}, …), so that its consumer group
   * reads only its own gateway's records.
   *
   * @param name lower case letters, digits and {@code _}: it names the database too
   */
  Scenario scenario(String name) {
    return new Scenario(this, name, Scenario.Topics.prefixed(name));
  }

  /**
   * A scenario on the production topic names ({@code telemetry.v1}, {@code telemetry.dlq.v1}, …);
   * at most one per class.
   */
  Scenario scenarioOnDefaultTopics(String name) {
    return new Scenario(this, name, Scenario.Topics.defaults());
  }

  Path dir() {
    return dir;
  }

  Pki pki() {
    return pki;
  }

  EmbeddedPostgres postgres() {
    return postgres;
  }

  EmbeddedKafka kafka() {
    return kafka.orElseThrow(() -> new IllegalStateException("this harness runs no Kafka"));
  }

  boolean hasKafka() {
    return kafka.isPresent();
  }

  /** Starts whatever a test stopped (and left stopped, if it failed half-way). */
  void restoreEverything() {
    if (!postgres.isRunning()) {
      postgres.start();
    }
    kafka.filter(k -> !k.running()).ifPresent(EmbeddedKafka::restart);
  }

  @Override
  public void close() {
    kafka.ifPresent(EmbeddedKafka::close);
    postgres.close();
  }
}
