/**
 * Certificate replacement and automatic renewal: a device certificate is replaced by asking the
 * device to re-enrol, waiting until it connects with the new certificate, revoking the old one
 * (superseded) and moving the device binding to the new one. State is the inventory's renewal
 * workflow ({@code certificate_renewals} and its history) plus the certificate event log, so every
 * step survives a restart and {@link
 * io.auditgate.controlplane.replacement.ReplacementWorkflow#advance} can resume it. Design:
 * docs/certificates-replacement.md.
 */
package io.auditgate.controlplane.replacement;
