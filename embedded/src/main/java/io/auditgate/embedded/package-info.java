/** See the module's description in its pom and the README. */
package io.auditgate.embedded;
