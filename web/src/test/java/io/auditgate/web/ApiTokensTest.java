package io.auditgate.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.store.StoreOptions;
import io.auditgate.testkit.MutableClock;
import io.auditgate.web.tokens.ApiToken;
import io.auditgate.web.tokens.ApiTokens;
import io.auditgate.web.tokens.IssuedToken;
import io.auditgate.web.tokens.Scope;
import io.auditgate.web.tokens.TokenSecret;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The token table in a real PostgreSQL: what it holds, and what a revoked token can do. */
class ApiTokensTest {
  private final StoreOptions db = TestDatabase.migrated();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));

  @Test
  void theDatabaseHoldsOnlyTheHashNeverTheToken() throws Exception {
    try (ApiTokens tokens = new ApiTokens(db, clock)) {
      IssuedToken issued = tokens.create("dashboard", Set.of(Scope.READ, Scope.METRICS));
      assertThat(issued.secret()).matches("^agt_[A-Za-z0-9_-]{43}$");
      assertThat(issued.toString()).doesNotContain(issued.secret());

      List<String> everyCell = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.driverProperties());
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT * FROM api_tokens")) {
        while (rs.next()) {
          for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            Object v = rs.getObject(i);
            everyCell.add(v instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(v));
          }
        }
      }
      String secretPart = issued.secret().substring(4);
      assertThat(everyCell).noneMatch(cell -> cell.contains(secretPart));
      assertThat(everyCell).contains(HexFormat.of().formatHex(TokenSecret.sha256(issued.secret())));
    }
  }

  @Test
  void authenticatesByHashAndRecordsLastUseAtMostOnceAMinute() {
    try (ApiTokens tokens = new ApiTokens(db, clock)) {
      IssuedToken issued = tokens.create("ci", Set.of(Scope.WRITE));
      ApiToken found = tokens.authenticate(issued.secret()).orElseThrow();
      assertThat(found.scopes()).containsExactly(Scope.WRITE);
      assertThat(found.name()).isEqualTo("ci");
      assertThat(tokens.list().get(0).lastUsedAt()).contains(clock.instant());

      Instant first = clock.instant();
      clock.advance(Duration.ofSeconds(10));
      tokens.authenticate(issued.secret()).orElseThrow();
      assertThat(tokens.list().get(0).lastUsedAt()).contains(first);
      clock.advance(Duration.ofMinutes(2));
      tokens.authenticate(issued.secret()).orElseThrow();
      assertThat(tokens.list().get(0).lastUsedAt()).contains(clock.instant());
    }
  }

  @Test
  void aRevokedTokenAuthenticatesNothingAndRevokingTwiceKeepsTheFirstTime() {
    try (ApiTokens tokens = new ApiTokens(db, clock)) {
      IssuedToken issued = tokens.create("old", Set.of(Scope.READ));
      Instant revokedAt = clock.instant();
      assertThat(tokens.revoke(issued.token().id()).orElseThrow().revokedAt()).contains(revokedAt);
      assertThat(tokens.authenticate(issued.secret())).isEmpty();
      clock.advance(Duration.ofHours(1));
      assertThat(tokens.revoke(issued.token().id()).orElseThrow().revokedAt()).contains(revokedAt);
      assertThat(tokens.revoke(999_999)).isEmpty();
    }
  }

  @Test
  void refusesNamesAndScopesThatCannotWork() {
    try (ApiTokens tokens = new ApiTokens(db, clock)) {
      assertThatThrownBy(() -> tokens.create("", Set.of(Scope.READ)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("name");
      assertThatThrownBy(() -> tokens.create("x", Set.of()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("scope");
      assertThat(tokens.authenticate("not-a-token")).isEmpty();
      assertThat(tokens.authenticate(TokenSecret.generate())).isEmpty();
    }
  }
}
