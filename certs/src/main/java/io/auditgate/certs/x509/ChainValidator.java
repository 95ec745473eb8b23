package io.auditgate.certs.x509;

import io.auditgate.certs.internal.FactsParser;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.cert.CertPath;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.PKIXParameters;
import java.security.cert.PKIXReason;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds and validates a certificate's path to configured trust anchors with the JDK's PKIX
 * implementation. Revocation is not checked here (the inventory reads it from the revocation view)
 * and expiry of the leaf is not either: the path is checked at an instant inside the leaf's
 * validity, so that an expired leaf reads as "expired", not as "untrusted", while an issuer that
 * was not valid during the leaf's life still fails.
 *
 * <p>Thread-safety: immutable; {@link #validate} may be called from any thread. Does not block.
 */
public final class ChainValidator {
  private final Set<TrustAnchor> anchors;
  private final Set<String> anchorFingerprints;

  /** Validates against these anchors (self-signed roots or any CA the operator trusts). */
  public ChainValidator(Collection<X509Certificate> anchors) {
    Objects.requireNonNull(anchors, "anchors");
    Set<TrustAnchor> a = new LinkedHashSet<>();
    Set<String> f = new LinkedHashSet<>();
    for (X509Certificate anchor : anchors) {
      a.add(new TrustAnchor(anchor, null));
      f.add(FactsParser.sha256Hex(anchor));
    }
    this.anchors = Set.copyOf(a);
    this.anchorFingerprints = Set.copyOf(f);
  }

  /** The SHA-256 fingerprints of the anchors. */
  public Set<String> anchorFingerprints() {
    return anchorFingerprints;
  }

  /**
   * The verdict for {@code chain} (leaf first, then whatever intermediates came with it, in any
   * order; more intermediates may be given in {@code intermediates}).
   *
   * @param at the instant to judge at, clamped into the leaf's validity
   */
  public TrustVerdict validate(
      List<X509Certificate> chain, Collection<X509Certificate> intermediates, Instant at) {
    Objects.requireNonNull(chain, "chain");
    Objects.requireNonNull(intermediates, "intermediates");
    Objects.requireNonNull(at, "at");
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("chain must hold at least the leaf");
    }
    X509Certificate leaf = chain.get(0);
    if (anchors.isEmpty()) {
      return new TrustVerdict.Untrusted(
          TrustVerdict.Reason.NO_TRUST_ANCHORS, "no trust anchor is configured");
    }
    if (anchorFingerprints.contains(FactsParser.sha256Hex(leaf))) {
      return new TrustVerdict.Trusted(List.of(leaf));
    }
    Date date = Date.from(clamp(at, leaf));
    List<X509Certificate> pool = new ArrayList<>(chain);
    pool.addAll(intermediates);
    try {
      X509CertSelector target = new X509CertSelector();
      target.setCertificate(leaf);
      PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
      params.setRevocationEnabled(false);
      params.setDate(date);
      params.addCertStore(
          CertStore.getInstance("Collection", new CollectionCertStoreParameters(pool)));
      PKIXCertPathBuilderResult result =
          (PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params);
      List<X509Certificate> path = new ArrayList<>();
      result.getCertPath().getCertificates().forEach(c -> path.add((X509Certificate) c));
      path.add(result.getTrustAnchor().getTrustedCert());
      return new TrustVerdict.Trusted(path);
    } catch (CertPathBuilderException e) {
      return diagnose(chain, leaf, date, e);
    } catch (InvalidAlgorithmParameterException e) {
      return new TrustVerdict.Untrusted(TrustVerdict.Reason.INVALID_CHAIN, e.getMessage());
    } catch (GeneralSecurityException e) {
      return new TrustVerdict.Untrusted(TrustVerdict.Reason.INVALID_CHAIN, e.toString());
    }
  }

  /**
   * The builder only says "no path"; validating the chain as presented tells why (a bad signature,
   * an issuer that is not a CA, an expired intermediate) when the chain does reach an anchor's
   * name.
   */
  private TrustVerdict diagnose(
      List<X509Certificate> chain, X509Certificate leaf, Date date, CertPathBuilderException e) {
    if (FactsParser.parse(leaf).selfSigned()) {
      return new TrustVerdict.Untrusted(
          TrustVerdict.Reason.SELF_SIGNED_UNKNOWN,
          "self-signed and not a configured trust anchor: " + leaf.getSubjectX500Principal());
    }
    List<X509Certificate> presented = new ArrayList<>();
    for (X509Certificate c : chain) {
      if (!anchorFingerprints.contains(FactsParser.sha256Hex(c))) {
        presented.add(c);
      }
    }
    try {
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(presented);
      PKIXParameters params = new PKIXParameters(anchors);
      params.setRevocationEnabled(false);
      params.setDate(date);
      CertPathValidator.getInstance("PKIX").validate(path, params);
    } catch (CertPathValidatorException v) {
      CertPathValidatorException.Reason r = v.getReason();
      TrustVerdict.Reason reason;
      if (r == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
        reason = TrustVerdict.Reason.INVALID_SIGNATURE;
      } else if (r == PKIXReason.NOT_CA_CERT || r == PKIXReason.PATH_TOO_LONG) {
        reason = TrustVerdict.Reason.NOT_A_CA;
      } else if (r == CertPathValidatorException.BasicReason.EXPIRED
          || r == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        reason = TrustVerdict.Reason.ISSUER_NOT_VALID;
      } else if (r == CertPathValidatorException.BasicReason.ALGORITHM_CONSTRAINED) {
        reason = TrustVerdict.Reason.ALGORITHM_CONSTRAINED;
      } else if (r == PKIXReason.NO_TRUST_ANCHOR) {
        reason = TrustVerdict.Reason.UNKNOWN_ISSUER;
      } else {
        reason = TrustVerdict.Reason.INVALID_CHAIN;
      }
      return new TrustVerdict.Untrusted(reason, v.getMessage());
    } catch (GeneralSecurityException | RuntimeException other) {
      // fall through to the builder's own verdict
    }
    return new TrustVerdict.Untrusted(
        TrustVerdict.Reason.UNKNOWN_ISSUER,
        "no path to a configured trust anchor for " + leaf.getIssuerX500Principal());
  }

  private static Instant clamp(Instant at, X509Certificate leaf) {
    Instant from = leaf.getNotBefore().toInstant();
    Instant to = leaf.getNotAfter().toInstant();
    if (at.isBefore(from)) {
      return from;
    }
    return at.isAfter(to) ? to : at;
  }
}
