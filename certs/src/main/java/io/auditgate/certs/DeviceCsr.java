package io.auditgate.certs;

import io.auditgate.core.ingest.DeviceCertificateUri;
import java.io.IOException;
import java.security.KeyPair;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The device side of enrolment: a PKCS#10 request for a device's own key, as the simulator (and any
 * device written against auditgate) sends it. Stateless and thread-safe.
 */
public final class DeviceCsr {
  private DeviceCsr() {}

  /**
   * A DER CSR with subject {@code CN=<id>} and the SAN URI {@code urn:auditgate:device:<id>},
   * signed with {@code keys}' private key (SHA-256 with ECDSA or RSA).
   *
   * @throws IllegalArgumentException if {@code deviceId} is not a device id
   */
  public static byte[] create(String deviceId, KeyPair keys) {
    String uri = DeviceCertificateUri.of(deviceId);
    try {
      Extensions extensions =
          new Extensions(
              new Extension(
                  Extension.subjectAlternativeName,
                  false,
                  new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri))
                      .getEncoded()));
      return new JcaPKCS10CertificationRequestBuilder(
              new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).build(),
              keys.getPublic())
          .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions)
          .build(
              new JcaContentSignerBuilder(KeyAlgorithm.signatureAlgorithmFor(keys.getPrivate()))
                  .build(keys.getPrivate()))
          .getEncoded();
    } catch (IOException | OperatorCreationException e) {
      throw new CertsException("cannot build a CSR for " + deviceId, e);
    }
  }
}
