package io.auditgate.web.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.controlplane.revocation.CertificateSource;
import io.auditgate.controlplane.revocation.RevocationOptions;
import io.auditgate.controlplane.revocation.RevocationTarget;
import io.auditgate.controlplane.revocation.Revocations;
import io.auditgate.controlplane.revocation.RevokeOutcome;
import io.auditgate.controlplane.revocation.RevokeRequest;
import io.auditgate.core.config.WebConfig;
import io.auditgate.testkit.Openssl;
import io.auditgate.web.TestDatabase;
import io.auditgate.web.WebRoutes;
import io.auditgate.web.WebServer;
import io.auditgate.web.tokens.ApiTokens;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CRL and OCSP endpoints over real HTTPS, checked by openssl as an independent client. */
class RevocationRoutesTest {
  @TempDir Path dir;
  private DevCertificateAuthority ca;
  private Revocations revocations;
  private WebServer server;
  private ApiTokens tokens;
  private HttpClient http;
  private IssuedCertificate revoked;
  private IssuedCertificate good;
  private Path root;
  private Path issuing;

  @BeforeEach
  void start() throws Exception {
    Openssl.requireVersion3(dir);
    Clock clock = Clock.systemUTC();
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), clock);
    var db = TestDatabase.migrated();
    revocations =
        Revocations.over(
            db,
            ca.revocationAuthority(),
            CertificateSource.none(),
            RevocationOptions.defaults(),
            clock);
    PemFiles tls =
        ca.issueServer(List.of("localhost", "127.0.0.1"), Validity.days(1)).writePem(dir, "server");
    tokens = new ApiTokens(db, clock);
    server =
        new WebServer(
            WebConfig.defaults().withBind("127.0.0.1", 0),
            Optional.of(
                SslContextBuilder.forServer(
                        tls.certificateChain().toFile(), tls.privateKey().toFile())
                    .sslProvider(SslProvider.JDK)
                    .build()),
            WebRoutes.router(new RevocationRoutes(revocations).routes(), tokens));
    server.start();
    http = HttpClient.newBuilder().sslContext(trusting(ca)).build();
    revoked = ca.issueDevice("sensor-revoked", Validity.days(30));
    good = ca.issueDevice("sensor-good", Validity.days(30));
    revoked.writePem(dir, "revoked");
    good.writePem(dir, "good");
    root = ca.rootCertificateFile();
    issuing = dir.resolve("issuing.pem");
    Files.writeString(
        issuing,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(ca.issuingCertificate().getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    // The leaf alone, as openssl verify and ocsp -cert expect it (the .crt file holds the chain).
    for (String name : List.of("revoked", "good")) {
      IssuedCertificate c = name.equals("revoked") ? revoked : good;
      Files.writeString(
          dir.resolve(name + "-leaf.pem"),
          "-----BEGIN CERTIFICATE-----\n"
              + Base64.getMimeEncoder(64, new byte[] {'\n'})
                  .encodeToString(c.certificate().getEncoded())
              + "\n-----END CERTIFICATE-----\n");
    }
    assertThat(
            revocations.revoke(
                new RevokeRequest(
                    new RevocationTarget.Certificate(revoked.certificate()),
                    "keyCompromise",
                    "test",
                    Optional.empty())))
        .isInstanceOf(RevokeOutcome.Revoked.class);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (tokens != null) {
      tokens.close();
    }
  }

  @Test
  void opensslVerifyWithTheFetchedCrlRefusesTheRevokedCertificateAndPassesTheGoodOne()
      throws Exception {
    HttpResponse<byte[]> fetched =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/crl/issuing-ca.crl")).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(fetched.headers().firstValue("content-type")).contains("application/pkix-crl");
    X509CRL crl =
        (X509CRL)
            CertificateFactory.getInstance("X.509")
                .generateCRL(new ByteArrayInputStream(fetched.body()));
    assertThat(crl.isRevoked(revoked.certificate())).isTrue();
    Files.write(dir.resolve("crl.der"), fetched.body());
    Openssl.Run converted =
        Openssl.run(dir, "crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem");
    assertThat(converted.exitCode()).as(converted.output()).isZero();

    Openssl.Run refused =
        Openssl.run(
            dir,
            "verify",
            "-crl_check",
            "-CAfile",
            root.toString(),
            "-untrusted",
            "issuing.pem",
            "-CRLfile",
            "crl.pem",
            "revoked-leaf.pem");
    Openssl.Run passed =
        Openssl.run(
            dir,
            "verify",
            "-crl_check",
            "-CAfile",
            root.toString(),
            "-untrusted",
            "issuing.pem",
            "-CRLfile",
            "crl.pem",
            "good-leaf.pem");

    assertThat(refused.exitCode()).as(refused.output()).isNotZero();
    assertThat(refused.output()).contains("certificate revoked");
    assertThat(passed.exitCode()).as(passed.output()).isZero();
    assertThat(passed.output()).contains("good-leaf.pem: OK");
  }

  @Test
  void opensslOcspOverHttpsReportsRevokedAndGood() {
    String url = server.baseUrl() + "/ocsp";
    Openssl.Run revokedAnswer =
        Openssl.run(
            dir,
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-cert",
            "revoked-leaf.pem",
            "-url",
            url,
            "-CAfile",
            root.toString());
    Openssl.Run goodAnswer =
        Openssl.run(
            dir,
            "ocsp",
            "-issuer",
            "issuing.pem",
            "-cert",
            "good-leaf.pem",
            "-url",
            url,
            "-CAfile",
            root.toString());

    assertThat(revokedAnswer.output())
        .as(revokedAnswer.output())
        .contains("Response verify OK")
        .contains("revoked-leaf.pem: revoked")
        .contains("Reason: keyCompromise");
    assertThat(goodAnswer.output())
        .as(goodAnswer.output())
        .contains("Response verify OK")
        .contains("good-leaf.pem: good");
  }

  @Test
  void ocspByGetWithBase64AndBadRequestsGetProtocolAnswers() throws Exception {
    OCSPReqBuilder builder = new OCSPReqBuilder();
    builder.addRequest(
        new CertificateID(
            new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
            new JcaX509CertificateHolder(ca.issuingCertificate()),
            revoked.certificate().getSerialNumber()));
    String encoded =
        URLEncoder.encode(
            Base64.getEncoder().encodeToString(builder.build().getEncoded()),
            StandardCharsets.UTF_8);

    HttpResponse<byte[]> byGet = get("/ocsp/" + encoded);
    assertThat(byGet.statusCode()).isEqualTo(200);
    assertThat(byGet.headers().firstValue("content-type")).contains("application/ocsp-response");
    BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(byGet.body()).getResponseObject();
    assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);

    HttpResponse<byte[]> notBase64 = get("/ocsp/%25%25%25");
    assertThat(notBase64.statusCode()).isEqualTo(200);
    assertThat(new OCSPResp(notBase64.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);

    HttpResponse<byte[]> garbage =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ocsp"))
                .header("content-type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofString("not an OCSP request"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(new OCSPResp(garbage.body()).getStatus()).isEqualTo(OCSPResp.MALFORMED_REQUEST);

    HttpResponse<byte[]> wrongType =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/ocsp"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(wrongType.statusCode()).isEqualTo(415);

    assertThat(get("/crl/nope.crl").statusCode()).isEqualTo(404);
    assertThat(get("/crl/issuing-ca.pem").statusCode()).isEqualTo(404);
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static SSLContext trusting(DevCertificateAuthority ca) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("root", ca.rootCertificate());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
