package io.auditgate.ingest.tls;

import io.auditgate.ingest.auth.RevocationCheck;
import java.net.Socket;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertPathValidatorException.BasicReason;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A listener's client-certificate trust manager that also refuses revoked certificates, so a
 * revoked device fails the TLS handshake itself and never reaches CONNECT or an HTTP request. The
 * chain is first checked by the wrapped PKIX trust manager (path, validity, EKU); only a chain that
 * passes is asked about revocation.
 *
 * <p>The refusal is a {@link CertificateException} caused by a {@link CertPathValidatorException}
 * with reason {@link BasicReason#REVOKED}, the way the JDK's own revocation checking reports it.
 *
 * <p>Thread-safety: immutable; called on event loops, and {@link RevocationCheck} never blocks by
 * contract.
 */
public final class RevocationTrustManager extends X509ExtendedTrustManager {
  private final X509ExtendedTrustManager delegate;
  private final RevocationCheck revocation;

  public RevocationTrustManager(X509ExtendedTrustManager delegate, RevocationCheck revocation) {
    this.delegate = delegate;
    this.revocation = revocation;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, engine);
    refuseRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType, socket);
    refuseRevoked(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkClientTrusted(chain, authType);
    refuseRevoked(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, engine);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType, socket);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    delegate.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return delegate.getAcceptedIssuers();
  }

  private void refuseRevoked(X509Certificate[] chain) throws CertificateException {
    if (chain.length > 0 && revocation.isRevoked(chain[0], List.of(chain))) {
      throw new CertificateException(
          "the client certificate " + chain[0].getSubjectX500Principal() + " is revoked",
          new CertPathValidatorException(
              "certificate revoked", null, null, -1, BasicReason.REVOKED));
    }
  }
}
