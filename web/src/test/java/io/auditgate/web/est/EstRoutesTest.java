package io.auditgate.web.est;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.DeviceCsr;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.KeyAlgorithm;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.enrolment.IssuanceMethod;
import io.auditgate.controlplane.enrolment.IssuanceRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * EST over real HTTPS: the web server asks for client certificates optionally (trusting the device
 * CA), the JDK HttpClient enrols with a token and re-enrols with the certificate it got.
 */
class EstRoutesTest extends EstFixture {
  @Test
  void cacertsServesTheIssuingAndRootCertificatesAsBase64CertsOnlyPkcs7() throws Exception {
    HttpResponse<byte[]> answer = send(client(null), get("/cacerts"));

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.headers().firstValue("content-type"))
        .contains("application/pkcs7-mime; smime-type=certs-only");
    assertThat(answer.headers().firstValue("content-transfer-encoding")).contains("base64");
    assertThat(certificates(answer.body()))
        .containsExactlyInAnyOrder(ca.issuingCertificate(), ca.rootCertificate());
  }

  @Test
  void aDeviceEnrolsWithItsTokenOnceAndReenrolsWithTheCertificateItGot() throws Exception {
    String token = tokens.create("dev-1", Duration.ofHours(1)).secret();
    KeyPair keys = KeyAlgorithm.EC_P256.generate(RANDOM);

    HttpResponse<byte[]> enrolled =
        send(client(null), post("/simpleenroll", DeviceCsr.create("dev-1", keys), basic(token)));

    assertThat(enrolled.statusCode()).isEqualTo(200);
    List<X509Certificate> issued = certificates(enrolled.body());
    assertThat(issued).hasSize(1);
    X509Certificate certificate = issued.get(0);
    assertThat(certificate.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(certificate.getSubjectAlternativeNames())
        .anySatisfy(san -> assertThat(san.get(1)).isEqualTo("urn:auditgate:device:dev-1"));

    HttpResponse<byte[]> reused =
        send(
            client(null),
            post(
                "/simpleenroll",
                DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM)),
                basic(token)));
    assertThat(reused.statusCode()).isEqualTo(401);
    assertThat(text(reused)).startsWith("token_used: ");
    assertThat(reused.headers().firstValue("www-authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));

    // Re-enrol over a connection that presents the new certificate.
    KeyPair next = KeyAlgorithm.EC_P256.generate(RANDOM);
    HttpClient withCertificate =
        client(new Identity(keys.getPrivate(), List.of(certificate, ca.issuingCertificate())));
    HttpResponse<byte[]> renewed =
        send(withCertificate, post("/simplereenroll", DeviceCsr.create("dev-1", next), null));

    assertThat(renewed.statusCode()).as(text(renewed)).isEqualTo(200);
    assertThat(certificates(renewed.body()).get(0).getPublicKey()).isEqualTo(next.getPublic());
    assertThat(heard)
        .extracting(IssuanceRecord::method)
        .containsExactly(IssuanceMethod.ENROLL, IssuanceMethod.REENROLL);
    assertThat(heard.get(1).previousSha256()).contains(heard.get(0).sha256());

    HttpResponse<byte[]> otherDevice =
        send(
            withCertificate,
            post(
                "/simplereenroll",
                DeviceCsr.create("dev-2", KeyAlgorithm.EC_P256.generate(RANDOM)),
                null));
    assertThat(otherDevice.statusCode()).isEqualTo(403);
    assertThat(text(otherDevice)).startsWith("csr_identity_mismatch: ");
    // The token-authenticated API still answers a certificate-holding client by its token rules.
    assertThat(
            send(
                    withCertificate,
                    HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/secret")).build())
                .statusCode())
        .isEqualTo(401);
  }

  @Test
  void refusalsCarryTheRfcStatusAndOurReasonCode() throws Exception {
    String token = tokens.create("dev-1", Duration.ofHours(1)).secret();
    byte[] csr = DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM));
    HttpClient client = client(null);

    HttpResponse<byte[]> noAuth = send(client, post("/simpleenroll", csr, null));
    assertThat(noAuth.statusCode()).isEqualTo(401);
    assertThat(text(noAuth)).startsWith("unauthenticated: ");

    HttpResponse<byte[]> unknown =
        send(client, post("/simpleenroll", csr, basic("aget_" + "x".repeat(43))));
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(text(unknown)).startsWith("token_unknown: ");

    HttpResponse<byte[]> otherDevice =
        send(
            client,
            post(
                "/simpleenroll",
                DeviceCsr.create("dev-2", KeyAlgorithm.EC_P256.generate(RANDOM)),
                basic(token)));
    assertThat(otherDevice.statusCode()).isEqualTo(403);
    assertThat(text(otherDevice)).startsWith("csr_identity_mismatch: ");

    HttpResponse<byte[]> garbage =
        send(
            client,
            HttpRequest.newBuilder(uri("/simpleenroll"))
                .header("content-type", "application/pkcs10")
                .header("authorization", basic(token))
                .POST(HttpRequest.BodyPublishers.ofString("bm90IGEgY3Ny"))
                .build());
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(text(garbage)).startsWith("csr_malformed: ");

    HttpResponse<byte[]> weak =
        send(client, post("/simpleenroll", DeviceCsr.create("dev-1", rsa1024()), basic(token)));
    assertThat(weak.statusCode()).isEqualTo(400);
    assertThat(text(weak)).startsWith("csr_key_too_weak: ");

    HttpResponse<byte[]> wrongType =
        send(
            client,
            HttpRequest.newBuilder(uri("/simpleenroll"))
                .header("content-type", "application/json")
                .header("authorization", basic(token))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());
    assertThat(wrongType.statusCode()).isEqualTo(415);

    HttpResponse<byte[]> noCertificate = send(client, post("/simplereenroll", csr, null));
    assertThat(noCertificate.statusCode()).isEqualTo(401);
    assertThat(text(noCertificate)).startsWith("certificate_missing: ");

    // Nothing above consumed the token: it still enrols.
    assertThat(send(client, post("/simpleenroll", csr, basic(token))).statusCode()).isEqualTo(200);
    assertThat(heard).hasSize(1);
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefusedAtTheHandshake() throws Exception {
    DevCertificateAuthority other =
        DevCertificateAuthority.create(
            dir.resolve("other-" + RANDOM.nextInt(1_000_000)),
            CaOptions.defaults(),
            Optional.empty(),
            Clock.systemUTC());
    IssuedCertificate foreign = other.issueDevice("dev-1", Validity.days(1));
    HttpClient client = client(new Identity(foreign.privateKey(), foreign.chain()));
    byte[] csr = DeviceCsr.create("dev-1", KeyAlgorithm.EC_P256.generate(RANDOM));

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                client.send(
                    post("/simplereenroll", csr, null), HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(java.io.IOException.class);
    assertThat(heard).isEmpty();
  }
}
