/**
 * The fleet model: the registry of devices, gateways and device profiles; device and gateway state
 * with the causes of every change; and the read model the HTTP API and the dashboard use. Contract
 * here ({@link io.auditgate.fleet.FleetReadModel}, {@link io.auditgate.fleet.FleetRegistry}, their
 * records), implementations in {@code internal}; {@link io.auditgate.fleet.FleetStateMonitor} is
 * the periodic evaluator. Rules and formats: docs/fleet.md.
 */
package io.auditgate.fleet;
