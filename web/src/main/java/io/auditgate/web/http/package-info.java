/**
 * Routing, requests and responses, query parsing and the one error mapping; no Netty types, so
 * handlers are plain functions of a {@link io.auditgate.web.http.Request}.
 */
package io.auditgate.web.http;
