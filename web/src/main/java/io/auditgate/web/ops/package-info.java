/** {@code /healthz}, {@code /readyz} and {@code /metrics} over core's ops contracts. */
package io.auditgate.web.ops;
