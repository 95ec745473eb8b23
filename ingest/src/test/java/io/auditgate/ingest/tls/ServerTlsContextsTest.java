package io.auditgate.ingest.tls;

import static io.auditgate.ingest.tls.ClientHellos.ALERT_HANDSHAKE_FAILURE;
import static io.auditgate.ingest.tls.ClientHellos.ALERT_PROTOCOL_VERSION;
import static io.auditgate.ingest.tls.ClientHellos.CONTENT_ALERT;
import static io.auditgate.ingest.tls.ClientHellos.CONTENT_HANDSHAKE;
import static io.auditgate.ingest.tls.ClientHellos.ECDHE_ECDSA_AES_128_CBC_SHA;
import static io.auditgate.ingest.tls.ClientHellos.ECDHE_ECDSA_AES_128_CBC_SHA256;
import static io.auditgate.ingest.tls.ClientHellos.ECDHE_ECDSA_AES_128_GCM_SHA256;
import static io.auditgate.ingest.tls.ClientHellos.HANDSHAKE_SERVER_HELLO;
import static io.auditgate.ingest.tls.ClientHellos.TLS_1_1;
import static io.auditgate.ingest.tls.ClientHellos.TLS_1_2;
import static io.auditgate.ingest.tls.ClientHellos.clientHello;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.auditgate.certs.PemFiles;
import io.auditgate.certs.Validity;
import io.auditgate.core.config.ConfigException;
import io.auditgate.core.config.TlsConfig;
import io.auditgate.core.config.TlsConfig.ClientAuth;
import io.auditgate.ingest.tls.TlsClients.Result;
import io.auditgate.ingest.tls.TlsTestServer.Handshake;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsContextsTest {
  @TempDir static Path dir;
  private static TestPki pki;
  private static TestPki otherPki;
  private static PemFiles sensor;

  @BeforeAll
  static void issueCertificates() {
    pki = TestPki.create(dir, "ca");
    otherPki = TestPki.create(dir, "other-ca");
    sensor = pki.device("sensor-01");
  }

  @Test
  void mutualTlsShowsTheServerWhichDeviceConnected() throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      Result client = TlsClients.connect(pki.client(Optional.of(sensor)).jdk(), server.port());

      Handshake handshake = server.nextHandshake();
      assertThat(client.accepted()).as("client: %s", client.failure()).isTrue();
      assertThat(handshake.succeeded()).isTrue();
      assertThat(handshake.protocol()).isEqualTo("TLSv1.3");
      assertThat(handshake.peer()).hasSize(2);
      assertThat(handshake.peer().get(0).getSubjectX500Principal().getName())
          .isEqualTo("CN=sensor-01");
    }
  }

  @Test
  void theNettyClientContextCompletesMutualTlsAndVerifiesTheHostName() throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      SslContext client = pki.client(Optional.of(sensor)).netty();

      assertThat(nettyHandshake(client, "127.0.0.1", server.port()).isSuccess()).isTrue();
      assertThat(server.nextHandshake().peer()).isNotEmpty();
    }
  }

  @Test
  void theNettyClientRefusesAServerCertificateForAnotherHost() throws Exception {
    PemFiles elsewhere =
        pki.ca
            .issueServer(List.of("gateway.example"), Validity.days(1))
            .writePem(dir.resolve("elsewhere"), "server");
    TlsConfig config =
        TlsConfig.of(elsewhere.certificateChain(), elsewhere.privateKey(), pki.rootFile());
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(config))) {
      Future<Channel> handshake =
          nettyHandshake(pki.client(Optional.of(sensor)).netty(), "127.0.0.1", server.port());

      assertThat(handshake.isSuccess()).isFalse();
      assertThat(handshake.cause()).hasMessageContaining("127.0.0.1");
    }
  }

  @Test
  void requireRefusesAClientWithoutACertificate() throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      Result client = TlsClients.connect(pki.client(Optional.empty()).jdk(), server.port());

      Handshake handshake = server.nextHandshake();
      assertThat(handshake.succeeded()).isFalse();
      assertThat(client.accepted()).isFalse();
    }
  }

  @Test
  void optionalLetsAClientWithoutACertificateInAndShowsOneThatIsPresented() throws Exception {
    TlsConfig optional = pki.serverConfig().withClientAuth(ClientAuth.OPTIONAL);
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(optional))) {
      Result anonymous = TlsClients.connect(pki.client(Optional.empty()).jdk(), server.port());
      Handshake withoutCertificate = server.nextHandshake();
      Result device = TlsClients.connect(pki.client(Optional.of(sensor)).jdk(), server.port());
      Handshake withCertificate = server.nextHandshake();

      assertThat(anonymous.accepted()).isTrue();
      assertThat(withoutCertificate.succeeded()).isTrue();
      assertThat(withoutCertificate.peer()).isEmpty();
      assertThat(device.accepted()).isTrue();
      assertThat(withCertificate.peer()).isNotEmpty();
      assertThat(withCertificate.peer().get(0).getSubjectX500Principal().getName())
          .isEqualTo("CN=sensor-01");
    }
  }

  @Test
  void optionalStillRefusesACertificateFromAnotherCa() throws Exception {
    PemFiles stranger = otherPki.device("stranger");
    TlsConfig optional = pki.serverConfig().withClientAuth(ClientAuth.OPTIONAL);
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(optional))) {
      Result client =
          TlsClients.connect(
              ClientTlsContexts.build(
                      pki.rootFile(),
                      stranger.certificateChain(),
                      stranger.privateKey(),
                      Optional.empty())
                  .jdk(),
              server.port());

      assertThat(server.nextHandshake().succeeded()).isFalse();
      assertThat(client.accepted()).isFalse();
    }
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    PemFiles stranger = otherPki.device("sensor-01");
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      Result client =
          TlsClients.connect(
              ClientTlsContexts.build(
                      pki.rootFile(),
                      stranger.certificateChain(),
                      stranger.privateKey(),
                      Optional.empty())
                  .jdk(),
              server.port());

      Handshake handshake = server.nextHandshake();
      assertThat(handshake.succeeded()).isFalse();
      assertThat(handshake.cause()).hasStackTraceContaining("trust anchors");
      assertThat(client.accepted()).isFalse();
    }
  }

  @Test
  void aClientThatTrustsAnotherCaRefusesTheServer() throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      Result client = TlsClients.connect(otherPki.client(Optional.empty()).jdk(), server.port());

      assertThat(client.accepted()).isFalse();
      assertThat(client.failure()).hasStackTraceContaining("PKIX");
      assertThat(server.nextHandshake().succeeded()).isFalse();
    }
  }

  @Test
  void aTls11HelloIsAnsweredWithAProtocolVersionAlert() throws Exception {
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      byte[] tls12 =
          TlsClients.firstRecord(
              server.port(), clientHello(TLS_1_2, ECDHE_ECDSA_AES_128_GCM_SHA256));
      byte[] tls11 =
          TlsClients.firstRecord(
              server.port(), clientHello(TLS_1_1, ECDHE_ECDSA_AES_128_GCM_SHA256));

      assertThat(tls12[0])
          .as("the same hello as TLS 1.2 gets a ServerHello")
          .isEqualTo((byte) CONTENT_HANDSHAKE);
      assertThat(tls12[5]).isEqualTo((byte) HANDSHAKE_SERVER_HELLO);
      assertThat(tls11[0]).isEqualTo((byte) CONTENT_ALERT);
      assertThat(tls11[6]).isEqualTo((byte) ALERT_PROTOCOL_VERSION);
    }
  }

  @Test
  void aHelloOfferingOnlyCbcSuitesIsRefused() throws Exception {
    byte[] cbcOnly =
        clientHello(TLS_1_2, ECDHE_ECDSA_AES_128_CBC_SHA256, ECDHE_ECDSA_AES_128_CBC_SHA);
    KeyMaterial key =
        KeyMaterial.read(pki.server.certificateChain(), pki.server.privateKey(), Optional.empty());
    SslContext cbcAllowed =
        SslContextBuilder.forServer(key.privateKey(), key.chain())
            .sslProvider(SslProvider.JDK)
            .ciphers(
                List.of(
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
                    "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"))
            .build();

    byte[] answer;
    byte[] controlAnswer;
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(pki.serverConfig()))) {
      answer = TlsClients.firstRecord(server.port(), cbcOnly);
    }
    try (TlsTestServer server = new TlsTestServer(cbcAllowed)) {
      controlAnswer = TlsClients.firstRecord(server.port(), cbcOnly);
    }

    assertThat(answer[0]).isEqualTo((byte) CONTENT_ALERT);
    assertThat(answer[6]).isEqualTo((byte) ALERT_HANDSHAKE_FAILURE);
    assertThat(controlAnswer[0])
        .as("a context that enables CBC answers the same hello: the refusal is the policy's")
        .isEqualTo((byte) CONTENT_HANDSHAKE);
  }

  @Test
  void theConfiguredProtocolsAreTheOnlyOnesOffered() throws Exception {
    TlsConfig tls12Only = pki.serverConfig().withProtocols(List.of("TLSv1.2"));
    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(tls12Only))) {
      ClientTls client = pki.client(Optional.of(sensor));
      Result tls13 =
          TlsClients.connect(
              client.jdk(), server.port(), s -> s.setEnabledProtocols(new String[] {"TLSv1.3"}));
      Handshake refused = server.nextHandshake();
      Result negotiated = TlsClients.connect(client.jdk(), server.port());
      Handshake accepted = server.nextHandshake();

      assertThat(tls13.accepted()).isFalse();
      assertThat(refused.succeeded()).isFalse();
      assertThat(negotiated.accepted()).isTrue();
      assertThat(accepted.protocol()).isEqualTo("TLSv1.2");
    }
  }

  @Test
  void theBuiltContextEnablesOnlyModernProtocolsAndAeadSuites() {
    SslContext context = ServerTlsContexts.build(pki.serverConfig());
    SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);

    assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    assertThat(engine.getEnabledCipherSuites())
        .isNotEmpty()
        .allMatch(TlsConfig::isAllowedCipherSuite)
        .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    assertThat(engine.getNeedClientAuth()).isTrue();
  }

  @Test
  void anEncryptedServerKeyIsReadWithThePasswordFromItsFile() throws Exception {
    PemFiles files =
        pki.ca
            .issueServer(List.of("localhost", "127.0.0.1"), Validity.days(1))
            .writePem(dir.resolve("encrypted"), "server", Optional.of("s3cret".toCharArray()));
    Path passwordFile = Files.writeString(dir.resolve("encrypted/password"), "s3cret\n");
    Path wrongFile = Files.writeString(dir.resolve("encrypted/wrong"), "guess\n");
    TlsConfig config =
        TlsConfig.of(files.certificateChain(), files.privateKey(), pki.rootFile())
            .withPrivateKeyPasswordFile(passwordFile);

    try (TlsTestServer server = new TlsTestServer(ServerTlsContexts.build(config))) {
      assertThat(
              TlsClients.connect(pki.client(Optional.of(sensor)).jdk(), server.port()).accepted())
          .isTrue();
    }
    ConfigException wrong =
        catchThrowableOfType(
            ConfigException.class,
            () -> ServerTlsContexts.build(config.withPrivateKeyPasswordFile(wrongFile)));
    assertThat(wrong.key()).isEqualTo("private_key");
    assertThat(wrong.problem()).contains("password does not decrypt");
    ConfigException missing =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ServerTlsContexts.build(
                    TlsConfig.of(files.certificateChain(), files.privateKey(), pki.rootFile())));
    assertThat(missing.key()).isEqualTo("private_key");
    assertThat(missing.problem()).contains("encrypted");
  }

  @Test
  void unusableFilesAreReportedUnderTheirKey() {
    TlsConfig config = pki.serverConfig();

    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () ->
                        ServerTlsContexts.build(
                            TlsConfig.of(
                                config.certificateChain(),
                                config.privateKey(),
                                dir.resolve("missing.crt"))))
                .key())
        .isEqualTo("client_ca_bundle");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () ->
                        ServerTlsContexts.build(
                            TlsConfig.of(
                                config.certificateChain(),
                                sensorKeyPath(),
                                config.clientCaBundle())))
                .problem())
        .as("a key that is not the certificate's")
        .contains("is not the key of");
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () ->
                        ServerTlsContexts.build(
                            TlsConfig.of(
                                config.privateKey(), config.privateKey(), config.clientCaBundle())))
                .key())
        .isEqualTo("certificate_chain");
  }

  private static Path sensorKeyPath() {
    return sensor.privateKey();
  }

  /** A Netty client handshake to the loopback server; the future is done when this returns. */
  private static Future<Channel> nettyHandshake(SslContext context, String host, int port)
      throws InterruptedException {
    EventLoopGroup group = new NioEventLoopGroup(1);
    try {
      SslHandler[] ssl = new SslHandler[1];
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ssl[0] = context.newHandler(ch.alloc(), host, port);
                      ch.pipeline().addLast(ssl[0]);
                    }
                  })
              .connect(java.net.InetAddress.getLoopbackAddress(), port)
              .sync()
              .channel();
      Future<Channel> handshake = ssl[0].handshakeFuture();
      if (!handshake.await(5, TimeUnit.SECONDS)) {
        throw new AssertionError("the handshake did not end within 5 s");
      }
      channel.close().sync();
      return handshake;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
