/** The device fleet simulator. */
package io.auditgate.sim;
