/** API tokens: {@code agt_} + 32 random bytes, stored only as SHA-256, with scopes. */
package io.auditgate.web.tokens;
