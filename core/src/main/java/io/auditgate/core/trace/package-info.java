/** The tracing hook the data path calls per message stage; JDK-only, no-op unless wired. */
package io.auditgate.core.trace;
