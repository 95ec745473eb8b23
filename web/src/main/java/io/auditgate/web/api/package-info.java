/** The fleet API's routes over {@code io.auditgate.fleet}'s read model and registry. */
package io.auditgate.web.api;
