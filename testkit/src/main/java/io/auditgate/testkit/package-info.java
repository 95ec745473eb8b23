/** Test fixtures the modules share; used at test scope only. */
package io.auditgate.testkit;
