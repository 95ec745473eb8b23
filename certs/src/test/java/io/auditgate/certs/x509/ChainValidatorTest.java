package io.auditgate.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.certs.CaOptions;
import io.auditgate.certs.DevCertificateAuthority;
import io.auditgate.certs.IssuedCertificate;
import io.auditgate.certs.Validity;
import io.auditgate.testkit.TestCertificates;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainValidatorTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir static Path dir;
  private static DevCertificateAuthority ca;
  private static DevCertificateAuthority other;
  private static ChainValidator validator;

  @BeforeAll
  static void createCas() {
    ca =
        DevCertificateAuthority.create(
            dir.resolve("ca"), CaOptions.defaults(), Optional.empty(), CLOCK);
    other =
        DevCertificateAuthority.create(
            dir.resolve("other"), CaOptions.defaults(), Optional.empty(), CLOCK);
    validator = new ChainValidator(List.of(ca.rootCertificate()));
  }

  @Test
  void aPresentedChainLeadsToTheRoot() {
    IssuedCertificate device = ca.issueDevice("d-1", Validity.days(30));

    TrustVerdict verdict = validator.validate(device.chain(), List.of(), NOW);

    assertThat(verdict).isInstanceOf(TrustVerdict.Trusted.class);
    assertThat(((TrustVerdict.Trusted) verdict).path())
        .containsExactly(device.certificate(), ca.issuingCertificate(), ca.rootCertificate());
  }

  @Test
  void aLoneLeafIsTrustedWhenTheIntermediateIsKnownOtherwise() {
    X509Certificate leaf = ca.issueDevice("d-2", Validity.days(30)).certificate();

    TrustVerdict alone = validator.validate(List.of(leaf), List.of(), NOW);
    assertThat(alone.trusted()).isFalse();
    assertThat(((TrustVerdict.Untrusted) alone).reason())
        .isEqualTo(TrustVerdict.Reason.UNKNOWN_ISSUER);
    assertThat(validator.validate(List.of(leaf), List.of(ca.issuingCertificate()), NOW).trusted())
        .isTrue();
  }

  @Test
  void anotherCasCertificateIsUntrusted() {
    IssuedCertificate stranger = other.issueDevice("d-3", Validity.days(30));

    TrustVerdict verdict = validator.validate(stranger.chain(), List.of(), NOW);

    assertThat(verdict).isInstanceOf(TrustVerdict.Untrusted.class);
    assertThat(((TrustVerdict.Untrusted) verdict).reason())
        .isEqualTo(TrustVerdict.Reason.UNKNOWN_ISSUER);
  }

  @Test
  void aSelfSignedStrangerIsUntrustedAsSuch() throws Exception {
    X509Certificate self =
        TestCertificates.selfSigned(
            "CN=stranger",
            TestCertificates.ec(),
            "SHA256withECDSA",
            NOW.minusSeconds(60),
            NOW.plusSeconds(3600),
            false);

    TrustVerdict verdict = validator.validate(List.of(self), List.of(), NOW);

    assertThat(((TrustVerdict.Untrusted) verdict).reason())
        .isEqualTo(TrustVerdict.Reason.SELF_SIGNED_UNKNOWN);
  }

  @Test
  void theAnchorItselfIsTrusted() {
    assertThat(validator.validate(List.of(ca.rootCertificate()), List.of(), NOW))
        .isEqualTo(new TrustVerdict.Trusted(List.of(ca.rootCertificate())));
  }

  @Test
  void withoutAnchorsNothingIsTrusted() {
    IssuedCertificate device = ca.issueDevice("d-4", Validity.days(30));
    TrustVerdict verdict = new ChainValidator(List.of()).validate(device.chain(), List.of(), NOW);
    assertThat(((TrustVerdict.Untrusted) verdict).reason())
        .isEqualTo(TrustVerdict.Reason.NO_TRUST_ANCHORS);
  }

  @Test
  void anExpiredLeafIsStillTrustedSoThatExpiryIsReportedAsExpiry() {
    DevCertificateAuthority lastYear =
        DevCertificateAuthority.create(
            dir.resolve("last-year"),
            CaOptions.defaults(),
            Optional.empty(),
            Clock.fixed(NOW.minus(365, ChronoUnit.DAYS), ZoneOffset.UTC));
    IssuedCertificate expired = lastYear.issueDevice("d-5", Validity.days(30));
    assertThat(expired.certificate().getNotAfter().toInstant()).isBefore(NOW);

    TrustVerdict verdict =
        new ChainValidator(List.of(lastYear.rootCertificate()))
            .validate(expired.chain(), List.of(), NOW);

    assertThat(verdict.trusted()).isTrue();
  }

  @Test
  void aLeafOutlivingItsIssuerIsRefusedAsIssuerNotValid() {
    // Validity.expired() ends before this CA began: no moment when both were valid.
    IssuedCertificate beforeTheCa = ca.issueDevice("d-6", Validity.expired());

    TrustVerdict verdict = validator.validate(beforeTheCa.chain(), List.of(), NOW);

    assertThat(((TrustVerdict.Untrusted) verdict).reason())
        .isEqualTo(TrustVerdict.Reason.ISSUER_NOT_VALID);
  }

  @Test
  void aLeafSignedByANonCaIsRefused() throws Exception {
    KeyPair rootKeys = TestCertificates.ec();
    Instant from = NOW.minus(1, ChronoUnit.DAYS);
    Instant to = NOW.plus(30, ChronoUnit.DAYS);
    X509Certificate root =
        TestCertificates.selfSigned("CN=Root", rootKeys, "SHA256withECDSA", from, to, true);
    KeyPair middleKeys = TestCertificates.ec();
    X509Certificate notCa =
        TestCertificates.signed(
            root,
            rootKeys.getPrivate(),
            "CN=Not a CA",
            middleKeys,
            "SHA256withECDSA",
            from,
            to,
            false,
            List.of());
    X509Certificate leaf =
        TestCertificates.signed(
            notCa,
            middleKeys.getPrivate(),
            "CN=leaf",
            TestCertificates.ec(),
            "SHA256withECDSA",
            from,
            to,
            false,
            List.of());

    TrustVerdict verdict =
        new ChainValidator(List.of(root)).validate(List.of(leaf, notCa), List.of(), NOW);

    assertThat(((TrustVerdict.Untrusted) verdict).reason()).isEqualTo(TrustVerdict.Reason.NOT_A_CA);
  }

  @Test
  void aForgedSignatureIsRefused() throws Exception {
    KeyPair rootKeys = TestCertificates.ec();
    Instant from = NOW.minus(1, ChronoUnit.DAYS);
    Instant to = NOW.plus(30, ChronoUnit.DAYS);
    X509Certificate root =
        TestCertificates.selfSigned("CN=Root", rootKeys, "SHA256withECDSA", from, to, true);
    // Same name as the root, signed by another key: the name matches, the signature does not.
    X509Certificate leaf =
        TestCertificates.signed(
            root,
            TestCertificates.ec().getPrivate(),
            "CN=leaf",
            TestCertificates.ec(),
            "SHA256withECDSA",
            from,
            to,
            false,
            List.of());

    TrustVerdict verdict =
        new ChainValidator(List.of(root)).validate(List.of(leaf), List.of(), NOW);

    assertThat(((TrustVerdict.Untrusted) verdict).reason())
        .isEqualTo(TrustVerdict.Reason.INVALID_SIGNATURE);
  }
}
