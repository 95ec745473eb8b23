/**
 * Bridge mode: the gateway subscribes to the device topics on a broker the site already runs and
 * feeds every message through the same ingest as its own listeners, acknowledging to that broker
 * only what the write-ahead log made durable (or dead-lettered). See {@link
 * io.auditgate.ingest.bridge.BrokerBridge}.
 */
package io.auditgate.ingest.bridge;
