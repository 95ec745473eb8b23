/**
 * Discovery: finding certificates where they are used and recording them in the inventory — client
 * certificates seen at the listeners ({@link
 * io.auditgate.controlplane.inventory.discovery.ListenerSightingsCollector}), TLS endpoints ({@link
 * io.auditgate.controlplane.inventory.discovery.TlsEndpointScanner}) and certificate files and
 * keystores ({@link io.auditgate.controlplane.inventory.discovery.CertificateFileImporter}).
 */
package io.auditgate.controlplane.inventory.discovery;
