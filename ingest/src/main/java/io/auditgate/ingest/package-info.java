/**
 * Device ingest: validates and normalises telemetry from every transport and appends it to the
 * write-ahead log before anything is acknowledged.
 */
package io.auditgate.ingest;
