/**
 * The control plane's HTTPS server: the fleet API under {@code /api/v1} ({@code api}), API tokens
 * ({@code tokens}), the operations endpoints ({@code ops}), the dashboard's static files, and the
 * one place errors become HTTP ({@code http.ErrorResponses}). Reads history only through the fleet
 * model; knows nothing of the gateway's listeners or log. Design in docs/api.md and
 * docs/dashboard.md.
 */
package io.auditgate.web;
