/**
 * Values and contracts shared by every auditgate module. This module has no third-party
 * dependencies so that every other module can depend on it without pulling anything in.
 */
package io.auditgate.core;
