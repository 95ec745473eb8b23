/** Bearer secrets (API and enrolment tokens): their format and how they are kept at rest. */
package io.auditgate.core.secret;
