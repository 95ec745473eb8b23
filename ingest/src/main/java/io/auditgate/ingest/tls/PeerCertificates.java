package io.auditgate.ingest.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/** The client certificate chain of a finished handshake, in the form the authenticator takes. */
public final class PeerCertificates {
  private PeerCertificates() {}

  /**
   * The chain the peer presented and the trust manager accepted, leaf first; empty when it
   * presented none (client_auth none or optional).
   */
  public static List<X509Certificate> of(SSLSession session) {
    Certificate[] certificates;
    try {
      certificates = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      // The JDK's way of saying "no client certificate": an expected outcome, not an error.
      return List.of();
    }
    List<X509Certificate> chain = new ArrayList<>(certificates.length);
    for (Certificate certificate : certificates) {
      if (certificate instanceof X509Certificate x509) {
        chain.add(x509);
      }
    }
    return List.copyOf(chain);
  }
}
