package io.auditgate.controlplane.internal.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.auditgate.certs.x509.CertificateFacts;
import io.auditgate.certs.x509.ChainValidator;
import io.auditgate.certs.x509.DecodedCertificate;
import io.auditgate.certs.x509.TrustVerdict;
import io.auditgate.certs.x509.Weakness;
import io.auditgate.controlplane.inventory.BindOutcome;
import io.auditgate.controlplane.inventory.Binding;
import io.auditgate.controlplane.inventory.BindingKind;
import io.auditgate.controlplane.inventory.CertificateDetail;
import io.auditgate.controlplane.inventory.CertificateInventory;
import io.auditgate.controlplane.inventory.CertificateQuery;
import io.auditgate.controlplane.inventory.CertificateStatus;
import io.auditgate.controlplane.inventory.CertificateSummary;
import io.auditgate.controlplane.inventory.InventoryPolicy;
import io.auditgate.controlplane.inventory.Page;
import io.auditgate.controlplane.inventory.PostureCondition;
import io.auditgate.controlplane.inventory.PostureSummary;
import io.auditgate.controlplane.inventory.RecordOutcome;
import io.auditgate.controlplane.inventory.RenewalChange;
import io.auditgate.controlplane.inventory.RenewalOutcome;
import io.auditgate.controlplane.inventory.RenewalState;
import io.auditgate.controlplane.inventory.RenewalView;
import io.auditgate.controlplane.inventory.Revocation;
import io.auditgate.controlplane.inventory.RevocationView;
import io.auditgate.controlplane.inventory.Sighting;
import io.auditgate.controlplane.inventory.SightingView;
import io.auditgate.controlplane.inventory.SourceKind;
import io.auditgate.store.StoreOptions;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The inventory over JDBC. Thread-safe: a connection per call, reused ({@link Connections}). */
public final class JdbcCertificateInventory implements CertificateInventory {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SHA256 = Pattern.compile("^[0-9a-f]{64}$");

  private final StoreOptions store;
  private final Clock clock;
  private final RevocationView revocations;
  private final ChainValidator validator;
  private final InventoryPolicy policy;
  private final Connections pool;

  public JdbcCertificateInventory(
      StoreOptions store,
      Clock clock,
      RevocationView revocations,
      ChainValidator validator,
      InventoryPolicy policy) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.revocations = Objects.requireNonNull(revocations, "revocations");
    this.validator = Objects.requireNonNull(validator, "validator");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.pool = new Connections(store);
  }

  @Override
  public void close() {
    pool.close();
  }

  // ---------------------------------------------------------------- record

  @Override
  public RecordOutcome record(List<X509Certificate> chain, Sighting sighting) {
    return recordAll(List.of(chain), sighting);
  }

  @Override
  public RecordOutcome recordAll(List<List<X509Certificate>> chains, Sighting sighting) {
    Objects.requireNonNull(chains, "chains");
    Objects.requireNonNull(sighting, "sighting");
    if (chains.isEmpty() || chains.stream().anyMatch(List::isEmpty)) {
      throw new IllegalArgumentException("every chain must hold at least its leaf");
    }
    // Parse everything before the transaction: a certificate that does not parse writes nothing.
    List<List<CertificateFacts>> facts =
        chains.stream().map(ch -> ch.stream().map(CertificateFacts::of).toList()).toList();
    Instant now = clock.instant();
    return Sql.transaction(
        pool,
        store,
        "certificate " + facts.get(0).get(0).sha256(),
        c -> {
          List<String> shas = new ArrayList<>();
          List<String> added = new ArrayList<>();
          for (int k = 0; k < chains.size(); k++) {
            recordChain(c, chains.get(k), facts.get(k), sighting, now, shas, added);
          }
          return new RecordOutcome(
              shas.stream().distinct().toList(), added.stream().distinct().toList());
        });
  }

  private void recordChain(
      Connection c,
      List<X509Certificate> chain,
      List<CertificateFacts> facts,
      Sighting sighting,
      Instant now,
      List<String> shas,
      List<String> added)
      throws SQLException {
    List<X509Certificate> known = knownIssuers(c, chain);
    for (int i = 0; i < chain.size(); i++) {
      CertificateFacts f = facts.get(i);
      List<X509Certificate> rest = chain.subList(i, chain.size());
      TrustVerdict verdict = validator.validate(rest, known, now);
      List<String> path =
          verdict instanceof TrustVerdict.Trusted t
              ? t.path().stream().map(JdbcCertificateInventory::sha256).toList()
              : rest.stream().map(JdbcCertificateInventory::sha256).toList();
      if (upsert(c, chain.get(i), f, verdict, path, sighting.at(), now)) {
        added.add(f.sha256());
      }
      Optional<String> device = i == 0 ? sighting.deviceId() : Optional.empty();
      sight(c, f.sha256(), sighting, device);
      if (f.deviceId().isPresent()) {
        exec(c, InventorySql.REFRESH_REPLACEMENT, Map.of("device_id", f.deviceId().get()));
      }
      shas.add(f.sha256());
    }
  }

  private boolean upsert(
      Connection c,
      X509Certificate certificate,
      CertificateFacts f,
      TrustVerdict verdict,
      List<String> path,
      Instant seenAt,
      Instant now)
      throws SQLException {
    Map<String, Object> p = new HashMap<>();
    p.put("sha256", f.sha256());
    p.put("subject", f.subject());
    p.put("issuer", f.issuer());
    p.put("serial_hex", f.serialHex());
    p.put("key_type", f.keyType().label());
    p.put("key_bits", f.keyBits());
    p.put("signature_algorithm", f.signatureAlgorithm());
    p.put("not_before", f.notBefore());
    p.put("not_after", f.notAfter());
    p.put("renew_at", renewAt(f));
    p.put("is_ca", f.ca());
    p.put("device_id", f.deviceId());
    p.put("weaknesses", Sql.textArray(c, f.weaknesses().stream().map(Weakness::code).toList()));
    p.put("trusted", verdict.trusted());
    p.put("trust_reason", verdict instanceof TrustVerdict.Untrusted u ? u.reason().code() : null);
    p.put("evaluated_at", now);
    p.put("seen_at", seenAt);
    boolean inserted;
    try (PreparedStatement ps = Sql.prepare(c, InventorySql.UPSERT_CERTIFICATE, p);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      inserted = rs.getBoolean(1);
    }
    Map<String, Object> blob = new HashMap<>();
    blob.put("sha256", f.sha256());
    blob.put("der", der(certificate));
    blob.put("facts", factsJson(f));
    blob.put("chain", Sql.textArray(c, path));
    exec(c, InventorySql.UPSERT_BLOB, blob);
    return inserted;
  }

  private void sight(Connection c, String sha256, Sighting s, Optional<String> device)
      throws SQLException {
    Map<String, Object> p = new HashMap<>();
    p.put("sha256", sha256);
    p.put("source", s.source().label());
    p.put("location", s.location());
    p.put("device_id", device.orElse(""));
    p.put("at", s.at());
    p.put("details", json(new TreeMap<>(s.details())));
    exec(c, InventorySql.UPSERT_SIGHTING, p);
    Map<String, Object> caches = new HashMap<>();
    caches.put("sha256", sha256);
    caches.put("listener", s.source().isListener());
    caches.put("at", s.at());
    exec(c, InventorySql.REFRESH_SIGHTING_CACHES, caches);
  }

  /** CA certificates already in the inventory that may have issued something in the chain. */
  private static List<X509Certificate> knownIssuers(Connection c, List<X509Certificate> chain)
      throws SQLException {
    Set<String> issuers = new LinkedHashSet<>();
    for (X509Certificate x : chain) {
      issuers.add(x.getIssuerX500Principal().getName());
    }
    return caCertificates(c, List.copyOf(issuers));
  }

  private static List<X509Certificate> caCertificates(Connection c, List<String> subjects)
      throws SQLException {
    List<X509Certificate> out = new ArrayList<>();
    try (PreparedStatement ps =
            Sql.prepare(
                c,
                InventorySql.CA_CERTIFICATES_BY_SUBJECT,
                Map.of("subjects", Sql.textArray(c, subjects)));
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        if (DecodedCertificate.der(rs.getBytes(1)) instanceof DecodedCertificate.Certificate d) {
          out.add(d.certificate());
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- reads

  @Override
  @SuppressWarnings("unchecked") // the revocation arrays are put in as lists, bound as arrays
  public Page<CertificateSummary> list(CertificateQuery q) {
    Objects.requireNonNull(q, "q");
    Map<String, Object> p = statusParams(revocations.revoked());
    List<String> where = new ArrayList<>();
    q.expiringWithinDays()
        .ifPresent(
            d -> {
              where.add("c.not_after > :now AND c.not_after <= :within_end");
              p.put("within_end", ((Instant) p.get("now")).plus(Duration.ofDays(d)));
            });
    q.deviceId()
        .ifPresent(
            d -> {
              where.add(
                  "(c.device_id = :device OR EXISTS (SELECT 1 FROM certificate_sightings g"
                      + " WHERE g.sha256 = c.sha256 AND g.device_id = :device)"
                      + " OR EXISTS (SELECT 1 FROM devices d WHERE d.device_id = :device"
                      + " AND d.bound_certificate_sha256 = c.sha256))");
              p.put("device", d);
            });
    q.issuer()
        .ifPresent(
            i -> {
              where.add("c.issuer = :issuer");
              p.put("issuer", i);
            });
    q.keyType()
        .ifPresent(
            k -> {
              where.add("c.key_type = :key_type");
              p.put("key_type", k);
            });
    q.source()
        .ifPresent(
            s -> {
              where.add(
                  "EXISTS (SELECT 1 FROM certificate_sightings g WHERE g.sha256 = c.sha256"
                      + " AND g.source = :source)");
              p.put("source", s.label());
            });
    List<String> outerWhere = new ArrayList<>();
    if (q.status().isPresent()) {
      outerWhere.add("c.status = :status");
      p.put("status", q.status().get().label());
    }
    q.condition().ifPresent(condition -> condition(condition, where, outerWhere, p));
    String outer = outerWhere.isEmpty() ? "" : " WHERE " + String.join(" AND ", outerWhere);
    p.put("limit", q.limit());
    p.put("offset", q.offset());
    String sql =
        "SELECT c.*, count(*) OVER () AS total FROM (SELECT "
            + InventorySql.SUMMARY_COLUMNS
            + ", "
            + InventorySql.STATUS
            + " AS status FROM certificates c"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + ") c"
            + outer
            + " ORDER BY "
            + q.sort().column()
            + (q.descending() ? " DESC" : "")
            + ", c.sha256"
            + (q.descending() ? " DESC" : "")
            + " LIMIT :limit OFFSET :offset";
    return Sql.read(
        pool,
        store,
        "certificates",
        c -> {
          bindRevoked(c, p);
          if (p.containsKey("rev_at")) {
            p.put("rev_sha256", Sql.textArray(c, (List<String>) p.get("rev_sha256")));
            p.put("rev_at", Sql.textArray(c, (List<String>) p.get("rev_at")));
          }
          List<CertificateSummary> items = new ArrayList<>();
          long total = 0;
          try (PreparedStatement ps = Sql.prepare(c, sql, p);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              items.add(summary(rs));
              total = rs.getLong("total");
            }
          }
          return new Page<>(items, q.offset(), q.limit(), total);
        });
  }

  @Override
  public List<CertificateSummary> expiring(int days, int limit) {
    if (days < 1 || days > 3650 || limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException(
          "days must be 1..3650 and limit 1..10000, got " + days + " and " + limit);
    }
    Map<String, Object> p = statusParams(revocations.revoked());
    p.put("days_end", ((Instant) p.get("now")).plus(Duration.ofDays(days)));
    p.put("limit", limit);
    return Sql.read(
        pool,
        store,
        "expiring certificates",
        c -> {
          bindRevoked(c, p);
          List<CertificateSummary> out = new ArrayList<>();
          try (PreparedStatement ps = Sql.prepare(c, InventorySql.EXPIRING, p);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(summary(rs));
            }
          }
          return out;
        });
  }

  @Override
  public Optional<CertificateDetail> detail(String sha256) {
    Objects.requireNonNull(sha256, "sha256");
    if (!SHA256.matcher(sha256).matches()) {
      return Optional.empty();
    }
    Optional<Revocation> revocation = revocations.revocation(sha256);
    Map<String, Object> p = statusParams(revocation.stream().toList());
    p.put("sha256", sha256);
    String sql =
        "SELECT "
            + InventorySql.SUMMARY_COLUMNS
            + ", "
            + InventorySql.STATUS
            + " AS status, b.der, b.facts::text AS facts, b.chain_sha256"
            + " FROM certificates c JOIN certificate_blobs b USING (sha256)"
            + " WHERE c.sha256 = :sha256";
    return Sql.read(
        pool,
        store,
        "certificate " + sha256,
        c -> {
          bindRevoked(c, p);
          CertificateSummary summary;
          byte[] der;
          Map<String, Object> facts;
          List<String> chain;
          try (PreparedStatement ps = Sql.prepare(c, sql, p);
              ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
              return Optional.empty();
            }
            summary = summary(rs);
            der = rs.getBytes("der");
            facts = parseJson(rs.getString("facts"));
            chain = Sql.strings(rs, "chain_sha256");
          }
          Map<String, Object> key = Map.of("sha256", sha256);
          List<SightingView> sightings = new ArrayList<>();
          try (PreparedStatement ps = Sql.prepare(c, InventorySql.SIGHTINGS, key);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String device = rs.getString("device_id");
              sightings.add(
                  new SightingView(
                      SourceKind.ofLabel(rs.getString("source")).orElseThrow(),
                      rs.getString("location"),
                      device.isEmpty() ? Optional.empty() : Optional.of(device),
                      Sql.instant(rs, "first_seen_at"),
                      Sql.instant(rs, "last_seen_at"),
                      rs.getLong("seen_count"),
                      stringMap(parseJson(rs.getString("details")))));
            }
          }
          List<Binding> bindings = new ArrayList<>();
          try (PreparedStatement ps = Sql.prepare(c, InventorySql.BINDINGS, key);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              bindings.add(
                  new Binding(
                      BindingKind.ofLabel(rs.getString("kind")).orElseThrow(),
                      rs.getString("target"),
                      Sql.optionalInstant(rs, "bound_at")));
            }
          }
          RenewalView renewal = renewal(c, sha256);
          List<RenewalChange> history = new ArrayList<>();
          try (PreparedStatement ps =
                  Sql.prepare(
                      c,
                      "SELECT from_state, to_state, reason, actor, at"
                          + " FROM certificate_renewal_history WHERE sha256 = :sha256 ORDER BY id",
                      key);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              history.add(
                  new RenewalChange(
                      RenewalState.ofLabel(rs.getString("from_state")).orElseThrow(),
                      RenewalState.ofLabel(rs.getString("to_state")).orElseThrow(),
                      Sql.optionalString(rs, "reason"),
                      rs.getString("actor"),
                      Sql.instant(rs, "at")));
            }
          }
          return Optional.of(
              new CertificateDetail(
                  summary,
                  strings(facts.get("dns")),
                  strings(facts.get("ip")),
                  strings(facts.get("uri")),
                  strings(facts.get("email")),
                  Optional.ofNullable((String) facts.get("key_curve")),
                  strings(facts.get("key_usage")),
                  strings(facts.get("eku")),
                  Optional.ofNullable((Integer) facts.get("path_length")),
                  Boolean.TRUE.equals(facts.get("self_signed")),
                  der,
                  chain,
                  sightings,
                  bindings,
                  revocation,
                  renewal,
                  history));
        });
  }

  @Override
  public PostureSummary posture() {
    Instant now = clock.instant();
    List<Revocation> revoked = distinct(revocations.revoked());
    return Sql.read(
        pool, store, "certificate posture", c -> PostureQuery.run(c, now, policy, revoked));
  }

  // ---------------------------------------------------------------- bindings

  @Override
  public BindOutcome bind(String sha256, BindingKind kind, String target) {
    Objects.requireNonNull(kind, "kind");
    Binding binding = new Binding(kind, target, Optional.of(clock.instant()));
    if (!SHA256.matcher(Objects.requireNonNull(sha256, "sha256")).matches()) {
      return new BindOutcome.UnknownCertificate(sha256);
    }
    return Sql.transaction(
        pool,
        store,
        "binding of " + sha256,
        c -> {
          if (!exists(c, "SELECT 1 FROM certificates WHERE sha256 = :v", sha256)) {
            return new BindOutcome.UnknownCertificate(sha256);
          }
          if (kind != BindingKind.DEVICE) {
            Map<String, Object> p = new HashMap<>();
            p.put("sha256", sha256);
            p.put("kind", kind.label());
            p.put("target", target);
            p.put("at", binding.boundAt().get());
            exec(
                c,
                "INSERT INTO certificate_bindings (sha256, kind, target, bound_at)"
                    + " VALUES (:sha256, :kind, :target, :at) ON CONFLICT DO NOTHING",
                p);
            return new BindOutcome.Bound(binding);
          }
          if (!exists(c, "SELECT 1 FROM devices WHERE device_id = :v FOR UPDATE", target)) {
            return new BindOutcome.UnknownDevice(target);
          }
          try (PreparedStatement ps =
                  Sql.prepare(
                      c,
                      "SELECT device_id FROM devices WHERE bound_certificate_sha256 = :sha256"
                          + " AND device_id <> :device",
                      Map.of("sha256", sha256, "device", target));
              ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return new BindOutcome.BoundElsewhere(sha256, rs.getString(1));
            }
          }
          exec(
              c,
              "UPDATE devices SET bound_certificate_sha256 = :sha256 WHERE device_id = :device",
              Map.of("sha256", sha256, "device", target));
          return new BindOutcome.Bound(binding);
        });
  }

  @Override
  public boolean unbind(String sha256, BindingKind kind, String target) {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(target, "target");
    return Sql.transaction(
        pool,
        store,
        "binding of " + sha256,
        c -> {
          String sql =
              kind == BindingKind.DEVICE
                  ? "UPDATE devices SET bound_certificate_sha256 = NULL"
                      + " WHERE device_id = :target AND bound_certificate_sha256 = :sha256"
                  : "DELETE FROM certificate_bindings"
                      + " WHERE sha256 = :sha256 AND kind = :kind AND target = :target";
          Map<String, Object> p = new HashMap<>();
          p.put("sha256", sha256);
          p.put("target", target);
          if (kind != BindingKind.DEVICE) {
            p.put("kind", kind.label());
          }
          return exec(c, sql, p) > 0;
        });
  }

  // ---------------------------------------------------------------- renewal

  @Override
  public RenewalOutcome renewal(
      String sha256,
      RenewalState to,
      Optional<String> reason,
      Optional<String> replacementSha256,
      String actor) {
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(replacementSha256, "replacementSha256");
    Objects.requireNonNull(actor, "actor");
    replacementSha256.ifPresent(
        r -> {
          if (!SHA256.matcher(r).matches()) {
            throw new IllegalArgumentException("replacementSha256 must be 64 hex digits");
          }
        });
    Instant now = clock.instant();
    return Sql.transaction(
        pool,
        store,
        "renewal of " + sha256,
        c -> {
          if (!exists(c, "SELECT 1 FROM certificates WHERE sha256 = :v FOR UPDATE", sha256)) {
            return new RenewalOutcome.UnknownCertificate(sha256);
          }
          RenewalState from = renewal(c, sha256).state();
          if (!from.next().contains(to)) {
            return new RenewalOutcome.Refused(
                from,
                to,
                "a renewal "
                    + from.label()
                    + " may move to "
                    + from.next().stream().map(RenewalState::label).toList()
                    + ", not to "
                    + to.label());
          }
          if (to == RenewalState.BLOCKED && reason.filter(r -> !r.isBlank()).isEmpty()) {
            return new RenewalOutcome.Refused(from, to, "a blocked renewal needs a reason");
          }
          Map<String, Object> p = new HashMap<>();
          p.put("sha256", sha256);
          p.put("state", to.label());
          p.put("from", from.label());
          p.put("reason", reason);
          p.put("replacement", replacementSha256);
          p.put("actor", actor);
          p.put("at", now);
          exec(
              c,
              """
              INSERT INTO certificate_renewals (sha256, state, reason, replacement_sha256,
                  updated_at)
              VALUES (:sha256, :state, :reason, :replacement, :at)
              ON CONFLICT (sha256) DO UPDATE SET state = excluded.state,
                reason = excluded.reason,
                replacement_sha256 = coalesce(excluded.replacement_sha256,
                  certificate_renewals.replacement_sha256),
                updated_at = excluded.updated_at""",
              p);
          exec(
              c,
              "INSERT INTO certificate_renewal_history (sha256, from_state, to_state, reason,"
                  + " actor, at) VALUES (:sha256, :from, :state, :reason, :actor, :at)",
              p);
          return new RenewalOutcome.Changed(new RenewalChange(from, to, reason, actor, now));
        });
  }

  private static RenewalView renewal(Connection c, String sha256) throws SQLException {
    try (PreparedStatement ps =
            Sql.prepare(
                c,
                "SELECT state, reason, replacement_sha256, updated_at FROM certificate_renewals"
                    + " WHERE sha256 = :sha256",
                Map.of("sha256", sha256));
        ResultSet rs = ps.executeQuery()) {
      if (!rs.next()) {
        return RenewalView.NOT_STARTED;
      }
      return new RenewalView(
          RenewalState.ofLabel(rs.getString("state")).orElseThrow(),
          Sql.optionalString(rs, "reason"),
          Sql.optionalString(rs, "replacement_sha256"),
          Sql.optionalInstant(rs, "updated_at"));
    }
  }

  // ---------------------------------------------------------------- trust

  /** Certificates re-validated per transaction by {@link #reevaluateTrust()}. */
  static final int TRUST_PAGE = 1000;

  @Override
  public int reevaluateTrust() {
    Instant now = clock.instant();
    // Every CA known is an intermediate candidate; CAs are few, leaves are paged.
    List<X509Certificate> cas =
        Sql.read(
            pool,
            store,
            "CA certificates",
            c -> {
              List<X509Certificate> out = new ArrayList<>();
              try (PreparedStatement ps =
                      Sql.prepare(
                          c,
                          "SELECT b.der FROM certificates c JOIN certificate_blobs b USING (sha256)"
                              + " WHERE c.is_ca",
                          Map.of());
                  ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  if (DecodedCertificate.der(rs.getBytes(1))
                      instanceof DecodedCertificate.Certificate d) {
                    out.add(d.certificate());
                  }
                }
              }
              return out;
            });
    int changed = 0;
    String after = "";
    while (true) {
      String from = after;
      record Page(int changed, String last, int size) {}
      Page page =
          Sql.transaction(
              pool,
              store,
              "trust verdicts",
              c -> {
                int n = 0;
                int size = 0;
                String last = from;
                List<Object[]> rows = new ArrayList<>();
                try (PreparedStatement ps =
                        Sql.prepare(
                            c,
                            "SELECT c.sha256, c.trusted, b.der FROM certificates c"
                                + " JOIN certificate_blobs b USING (sha256)"
                                + " WHERE c.sha256 > :after ORDER BY c.sha256 LIMIT :limit",
                            Map.of("after", from, "limit", TRUST_PAGE));
                    ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), rs.getBoolean(2), rs.getBytes(3)});
                  }
                }
                for (Object[] row : rows) {
                  size++;
                  last = (String) row[0];
                  if (!(DecodedCertificate.der((byte[]) row[2])
                      instanceof DecodedCertificate.Certificate d)) {
                    continue;
                  }
                  TrustVerdict v = validator.validate(List.of(d.certificate()), cas, now);
                  Map<String, Object> p = new HashMap<>();
                  p.put("sha256", row[0]);
                  p.put("trusted", v.trusted());
                  p.put("reason", v instanceof TrustVerdict.Untrusted u ? u.reason().code() : null);
                  p.put("at", now);
                  exec(
                      c,
                      "UPDATE certificates SET trusted = :trusted, trust_reason = :reason,"
                          + " trust_evaluated_at = :at WHERE sha256 = :sha256",
                      p);
                  if (v instanceof TrustVerdict.Trusted t) {
                    exec(
                        c,
                        "UPDATE certificate_blobs SET chain_sha256 = :chain WHERE sha256 = :sha256",
                        Map.of(
                            "chain",
                            Sql.textArray(
                                c,
                                t.path().stream().map(JdbcCertificateInventory::sha256).toList()),
                            "sha256",
                            row[0]));
                  }
                  if ((Boolean) row[1] != v.trusted()) {
                    n++;
                  }
                }
                return new Page(n, last, size);
              });
      changed += page.changed();
      if (page.size() < TRUST_PAGE) {
        return changed;
      }
      after = page.last();
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A posture rule as list conditions, the same predicates {@code PostureQuery} counts: columns of
   * {@code certificates} in {@code where}, the derived status in {@code outer}. In service = not
   * expired (inner) and not revoked (outer).
   */
  private void condition(
      PostureCondition condition, List<String> where, List<String> outer, Map<String, Object> p) {
    if (condition == PostureCondition.REVOKED_STILL_CONNECTING) {
      List<Revocation> revoked = distinct(revocations.revoked());
      p.put("rev_sha256", revoked.stream().map(Revocation::sha256).toList());
      p.put("rev_at", revoked.stream().map(r -> r.revokedAt().toString()).toList());
      where.add(
          "EXISTS (SELECT 1 FROM unnest(:rev_sha256::text[], :rev_at::text[]) AS r(sha256, at)"
              + " WHERE r.sha256 = c.sha256 AND c.last_connected_at > r.at::timestamptz)");
      return;
    }
    where.add("c.not_after > :now");
    outer.add("c.status <> 'revoked'");
    switch (condition) {
      case UNBOUND -> where.add("NOT c.bound AND NOT c.is_ca");
      case SHARED -> where.add("c.seen_device_count > 1");
      case WEAK_KEY -> where.add("'rsa_key_under_2048' = ANY(c.weaknesses)");
      case SHA1_SIGNATURE ->
          where.add(
              "('sha1_signature' = ANY(c.weaknesses) OR 'md5_signature' = ANY(c.weaknesses))");
      case UNTRUSTED -> where.add("NOT c.trusted");
      case OLDER_THAN_MAX_AGE -> {
        where.add("c.not_before < :too_old_before");
        p.put("too_old_before", ((Instant) p.get("now")).minus(policy.maxAge()));
      }
      default -> throw new IllegalStateException("unhandled condition " + condition);
    }
  }

  private Map<String, Object> statusParams(List<Revocation> revoked) {
    return statusParams(revoked, clock.instant());
  }

  private Map<String, Object> statusParams(List<Revocation> revoked, Instant now) {
    Map<String, Object> p = new HashMap<>();
    p.put("now", now);
    p.put("soon_end", now.plus(Duration.ofDays(policy.soonDays())));
    p.put("revoked", revoked.stream().map(Revocation::sha256).distinct().toList());
    return p;
  }

  /** Turns the revoked list into an SQL array on the connection that will use it. */
  @SuppressWarnings("unchecked")
  private static void bindRevoked(Connection c, Map<String, Object> p) throws SQLException {
    p.put("revoked", Sql.textArray(c, (List<String>) p.get("revoked")));
  }

  /** One revocation per certificate (the earliest), so that nothing is counted twice. */
  static List<Revocation> distinct(List<Revocation> revoked) {
    Map<String, Revocation> out = new LinkedHashMap<>();
    for (Revocation r : revoked) {
      out.merge(r.sha256(), r, (a, b) -> a.revokedAt().isAfter(b.revokedAt()) ? b : a);
    }
    return List.copyOf(out.values());
  }

  private static CertificateSummary summary(ResultSet rs) throws SQLException {
    return new CertificateSummary(
        rs.getString("sha256"),
        rs.getString("subject"),
        rs.getString("issuer"),
        rs.getString("serial_hex"),
        rs.getString("key_type"),
        rs.getInt("key_bits"),
        rs.getString("signature_algorithm"),
        Sql.instant(rs, "not_before"),
        Sql.instant(rs, "not_after"),
        rs.getBoolean("is_ca"),
        Sql.optionalString(rs, "device_id"),
        Sql.strings(rs, "weaknesses"),
        rs.getBoolean("trusted"),
        Sql.optionalString(rs, "trust_reason"),
        Sql.optionalString(rs, "replaced_by"),
        CertificateStatus.ofLabel(rs.getString("status")).orElseThrow(),
        Sql.instant(rs, "first_seen_at"),
        Sql.instant(rs, "last_seen_at"));
  }

  private static boolean exists(Connection c, String sql, String value) throws SQLException {
    try (PreparedStatement ps = Sql.prepare(c, sql, Map.of("v", value));
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  private static int exec(Connection c, String sql, Map<String, ?> params) throws SQLException {
    try (PreparedStatement ps = Sql.prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /**
   * Two thirds into the lifetime, to the microsecond (PostgreSQL's resolution): from here less than
   * a third of the lifetime is left.
   */
  static Instant renewAt(CertificateFacts f) {
    Duration lifetime = Duration.between(f.notBefore(), f.notAfter());
    return f.notBefore()
        .plus(lifetime.multipliedBy(2).dividedBy(3))
        .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
  }

  static String sha256(X509Certificate c) {
    return CertificateFacts.of(c).sha256();
  }

  private static byte[] der(X509Certificate c) {
    try {
      return c.getEncoded();
    } catch (CertificateEncodingException e) {
      throw new IllegalArgumentException("the certificate does not encode: " + e.getMessage(), e);
    }
  }

  private static String factsJson(CertificateFacts f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("dns", f.subjectAltNames().dns());
    m.put("ip", f.subjectAltNames().ipAddresses());
    m.put("uri", f.subjectAltNames().uris());
    m.put("email", f.subjectAltNames().emails());
    m.put("key_curve", f.keyCurve().orElse(null));
    m.put("key_usage", f.keyUsage());
    m.put("eku", f.extendedKeyUsage());
    m.put("path_length", f.pathLength().orElse(null));
    m.put("self_signed", f.selfSigned());
    return json(m);
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode JSON", e);
    }
  }

  private static Map<String, Object> parseJson(String text) {
    try {
      return JSON.readValue(text, new TypeReference<Map<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the stored JSON does not parse", e);
    }
  }

  private static List<String> strings(Object o) {
    if (o instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    return List.of();
  }

  private static Map<String, String> stringMap(Map<String, Object> m) {
    Map<String, String> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
