package io.auditgate.controlplane.inventory.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.Inventories;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.InventoryTestStore;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.store.StoreOptions;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real PEM, DER, PKCS#12 and JKS files in a directory, imported into a real PostgreSQL. */
class CertificateFileImporterTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private final StoreOptions db = InventoryTestStore.migratedDatabase();
  private CertificateInventory inventory;

  @AfterEach
  void close() {
    if (inventory != null) {
      inventory.close();
    }
  }

  @Test
  void everyFormatIsImportedAndGarbageIsRefusedWholeWithItsReason() throws Exception {
    DevCertificateAuthority ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    inventory =
        Inventories.jdbc(
            db,
            CLOCK,
            RevocationView.NONE,
            List.of(ca.rootCertificate()),
            InventoryPolicy.defaults());
    Path certs = Files.createDirectories(dir.resolve("certs"));
    IssuedCertificate device = ca.issueDevice("dev-1", Validity.days(90));
    IssuedCertificate server = ca.issueServer(List.of("gw.example"), Validity.days(90));
    IssuedCertificate other = ca.issueDevice("dev-2", Validity.days(90));
    Files.writeString(
        certs.resolve("a-chain.pem"), pem(device.chain().toArray(Certificate[]::new)));
    Files.write(certs.resolve("b-root.der"), ca.rootCertificate().getEncoded());
    server.writePkcs12(certs.resolve("c-server.p12"), "server", "changeit".toCharArray());
    KeyStore jks = KeyStore.getInstance("JKS");
    jks.load(null, null);
    jks.setCertificateEntry("root", ca.rootCertificate());
    try (OutputStream out = Files.newOutputStream(certs.resolve("d-trust.jks"))) {
      jks.store(out, "changeit".toCharArray());
    }
    other.writePkcs12(certs.resolve("e-other.p12"), "other", "different".toCharArray());
    Files.writeString(certs.resolve("f-notes.txt"), "hello");
    Files.writeString(
        certs.resolve("g-broken.pem"),
        pem(other.certificate())
            + "-----BEGIN CERTIFICATE-----\nAAAA!!\n-----END CERTIFICATE-----\n");

    ImportReport report =
        new CertificateFileImporter(inventory, CLOCK)
            .importDirectory(certs, Optional.of("changeit".toCharArray()));

    assertThat(report.imported())
        .extracting(i -> i.file().getFileName().toString(), ImportReport.Imported::format)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a-chain.pem", "pem"),
            org.assertj.core.groups.Tuple.tuple("b-root.der", "der"),
            org.assertj.core.groups.Tuple.tuple("c-server.p12", "pkcs12"),
            org.assertj.core.groups.Tuple.tuple("d-trust.jks", "jks"));
    assertThat(report.refused())
        .extracting(r -> r.file().getFileName().toString(), ImportReport.Refused::reason)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("e-other.p12", "wrong_password"),
            org.assertj.core.groups.Tuple.tuple("f-notes.txt", "not_a_certificate"),
            org.assertj.core.groups.Tuple.tuple("g-broken.pem", "corrupt_pem"));
    assertThat(report.imported().get(0).sha256s())
        .containsExactly(device.sha256Fingerprint(), sha(ca.issuingCertificate()));
    assertThat(report.imported().get(3).added()).as("the root came first from the DER").isEmpty();

    assertThat(
            InventoryTestStore.rows(
                db,
                "SELECT count(*) FROM certificates WHERE sha256 = '"
                    + other.sha256Fingerprint()
                    + "'"))
        .as("nothing of a refused file is recorded")
        .containsExactly(List.of("0"));
    assertThat(
            InventoryTestStore.rows(
                db,
                "SELECT source, details ->> 'format', count(*) FROM certificate_sightings"
                    + " GROUP BY 1, 2 ORDER BY 1, 2"))
        .containsExactly(
            List.of("file", "der", "1"),
            List.of("file", "pem", "2"),
            List.of("keystore", "jks", "1"),
            List.of("keystore", "pkcs12", "2"));
    assertThat(
            InventoryTestStore.rows(
                db,
                "SELECT location FROM certificate_sightings WHERE sha256 = '"
                    + device.sha256Fingerprint()
                    + "'"))
        .containsExactly(List.of(certs.resolve("a-chain.pem").toAbsolutePath().toString()));
    assertThat(inventory.detail(server.sha256Fingerprint()).orElseThrow().summary().trusted())
        .isTrue();
  }

  static String pem(Certificate... certificates) throws Exception {
    StringBuilder out = new StringBuilder();
    for (Certificate c : certificates) {
      out.append("-----BEGIN CERTIFICATE-----\n")
          .append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded()))
          .append("\n-----END CERTIFICATE-----\n");
    }
    return out.toString();
  }

  static String sha(java.security.cert.X509Certificate c) {
    return io.auditgate.certs.x509.CertificateFacts.of(c).sha256();
  }
}
