package io.auditgate.ingest.tls;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.TlsConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Certificates for the TLS tests, from the real development CA: a server certificate for
 * localhost/127.0.0.1 and device certificates, written as PEM files the way an operator would. The
 * CA clock is the system clock because the JDK's handshake checks validity against it.
 */
final class TestPki {
  final Path dir;
  final String name;
  final DevCertificateAuthority ca;
  final PemFiles server;

  private TestPki(Path dir, String name) {
    this.dir = dir;
    this.name = name;
    this.ca =
        DevCertificateAuthority.create(
            dir.resolve(name), CaOptions.defaults(), Optional.empty(), Clock.systemUTC());
    this.server =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(1))
            .writePem(dir.resolve(name + "-out"), "server");
  }

  static TestPki create(Path dir, String name) {
    return new TestPki(dir, name);
  }

  /** A device certificate written as PEM files. */
  PemFiles device(String deviceId) {
    return issueDevice(deviceId).writePem(dir.resolve(name + "-devices"), deviceId);
  }

  IssuedCertificate issueDevice(String deviceId) {
    return ca.issueDevice(deviceId, Validity.days(1));
  }

  Path rootFile() {
    return ca.rootCertificateFile();
  }

  TlsConfig serverConfig() {
    return TlsConfig.of(server.certificateChain(), server.privateKey(), rootFile());
  }

  /** A client trusting this CA, presenting the device's certificate when given. */
  ClientTls client(Optional<PemFiles> device) {
    return device
        .map(
            files ->
                ClientTlsContexts.build(
                    rootFile(), files.certificateChain(), files.privateKey(), Optional.empty()))
        .orElseGet(() -> ClientTlsContexts.build(rootFile()));
  }
}
