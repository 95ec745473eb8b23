/** Certificates: the development CA that gives devices and listeners their identities. */
package io.auditgate.certs;
