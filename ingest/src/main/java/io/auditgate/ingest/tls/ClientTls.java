package io.auditgate.ingest.tls;

import io.netty.handler.ssl.SslContext;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client side of TLS to a gateway, in the forms the clients want it.
 *
 * @param netty for Netty clients (the simulator); verifies the server's host name
 * @param jdk for clients that take an {@link SSLContext} or its socket factory (Paho). It verifies
 *     the server's certificate chain; host name verification is the client's job (Paho does it by
 *     default), or set {@code SSLParameters.setEndpointIdentificationAlgorithm("HTTPS")}
 * @param trustManagerFactory the trusted CAs, for clients configured with factories (HiveMQ)
 * @param keyManagerFactory the client certificate and key, if any, likewise
 */
public record ClientTls(
    SslContext netty,
    SSLContext jdk,
    TrustManagerFactory trustManagerFactory,
    Optional<KeyManagerFactory> keyManagerFactory) {
  public ClientTls {
    Objects.requireNonNull(netty, "netty");
    Objects.requireNonNull(jdk, "jdk");
    Objects.requireNonNull(trustManagerFactory, "trustManagerFactory");
    Objects.requireNonNull(keyManagerFactory, "keyManagerFactory");
  }
}
