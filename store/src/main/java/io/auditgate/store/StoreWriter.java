package io.auditgate.store;

import io.auditgate.core.telemetry.Telemetry;
import io.auditgate.envelope.EnvelopeCodec;
import io.auditgate.envelope.GatewayEventCodec;
import io.auditgate.store.StoreSchema.Flavor;
import io.auditgate.store.WriteOutcome.Poison;
import io.auditgate.store.internal.BatchAggregates;
import io.auditgate.store.internal.BatchDecoding;
import io.auditgate.store.internal.ConnectivitySql;
import io.auditgate.store.internal.CopyText;
import io.auditgate.store.internal.DecodedBatch;
import io.auditgate.store.internal.FastPath;
import io.auditgate.store.internal.MergeSql;
import io.auditgate.store.internal.Partitions;
import io.auditgate.store.internal.SqlFailures;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes batches of records into the store, idempotently, one transaction per batch. Two ways, with
 * the same result:
 *
 * <ul>
 *   <li>the fast path ({@link FastPath}), when no key occurs twice in the batch: {@code COPY} the
 *       messages and their points straight into their tables, then upsert latest values, devices,
 *       gateways and rollups from folds computed in Java. If a message is already stored, the
 *       unique indexes refuse the {@code COPY} ({@code 23505}) and the transaction rolls back;
 *   <li>the merge (every other batch, after such a rollback, and always in {@link Staging#INSERT}
 *       mode): {@code COPY} into a temporary staging table, then one statement that inserts the
 *       messages not yet stored ({@code ON CONFLICT DO NOTHING} on the idempotency key) and, from
 *       exactly those, their points, latest values, device and gateway rows and rollups, and counts
 *       per device the messages discarded as already stored.
 * </ul>
 *
 * Gateway events and device connectivity ({@link ConnectivitySql}) go in the same transaction.
 * Writing a batch twice, or a batch overlapping what is stored, stores nothing twice.
 *
 * <p>Records that cannot be decoded are not written and come back as {@link Poison}. When the
 * database refuses a batch's data itself (a value PostgreSQL cannot hold), the writer retries the
 * batch record by record and reports the refused ones as poison, so one bad record never stalls the
 * stream.
 *
 * <p>Holds one connection, opened on first use and again after it fails: a database that was down
 * is picked up by the next {@link #write} once it is back. Not thread-safe: one writer per thread
 * (concurrent writers on one database are safe). {@link #write} blocks for the round trips.
 */
public final class StoreWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

  /** How a batch's messages reach the staging table. */
  public enum Staging {
    /** {@code COPY ... FROM STDIN}: the fast way, on every real PostgreSQL server. */
    COPY,
    /**
     * Batched {@code INSERT}s: for engines without {@code COPY FROM STDIN} (PGlite, which serves
     * the TimescaleDB test); several times slower.
     */
    INSERT
  }

  /** How often the writer folds rollup deltas, at most (it folds only after writing a batch). */
  static final Duration FOLD_EVERY = Duration.ofSeconds(1);

  private final StoreOptions options;
  private final Flavor flavor;
  private final Staging staging;
  private final Duration foldEvery;
  private final EnvelopeCodec envelopes = new EnvelopeCodec();
  private final GatewayEventCodec gatewayEvents = new GatewayEventCodec();
  private final Set<LocalDate> knownPartitions = new HashSet<>();
  private Connection connection;
  private CopyManager copy;
  private long fastBatches;
  private long mergedBatches;
  private boolean expectDuplicates;
  // System.nanoTime() from which a write folds again; the first write folds at once.
  private long nextFoldNanos = System.nanoTime();

  /**
   * @param flavor as {@link StoreSchema#migrate} reported it: decides whether the writer keeps
   *     partitions and rollups itself
   */
  public StoreWriter(StoreOptions options, Flavor flavor) {
    this(options, flavor, Staging.COPY);
  }

  /**
   * @param staging how messages reach the staging table; {@link Staging#INSERT} only where the
   *     server has no {@code COPY FROM STDIN}
   */
  public StoreWriter(StoreOptions options, Flavor flavor, Staging staging) {
    this(options, flavor, staging, FOLD_EVERY);
  }

  /** With another fold interval: for tests that must see deltas before a fold. */
  StoreWriter(StoreOptions options, Flavor flavor, Staging staging, Duration foldEvery) {
    this.options = Objects.requireNonNull(options, "options");
    this.flavor = Objects.requireNonNull(flavor, "flavor");
    this.staging = Objects.requireNonNull(staging, "staging");
    this.foldEvery = Objects.requireNonNull(foldEvery, "foldEvery");
  }

  /**
   * Writes {@code records} and says what became of them. Never throws for a database failure: an
   * unreachable or refusing database is {@link WriteOutcome.Unavailable}, possibly with part of the
   * batch committed (when it failed during the record-by-record retry), and writing the same batch
   * again later is always safe, since the merge is idempotent.
   */
  public WriteOutcome write(List<StoreRecord> records) {
    BatchDecoding decoding = new BatchDecoding(records, envelopes, gatewayEvents);
    if (records.size() <= BatchDecoding.PART && decoding.all().isEmpty()) {
      // Nothing to write (all poison, or no records): no need for the database to be up.
      return new WriteOutcome.Written(0, 0, decoding.all().poison());
    }
    int stored;
    try {
      stored = attempt(decoding);
    } catch (SQLException e) {
      DecodedBatch batch = decoding.all();
      List<Poison> poison = new ArrayList<>(batch.poison());
      if (!SqlFailures.isRefusedData(e)) {
        return unavailable(e);
      }
      log.warn(
          "the database refused a batch of {} records ({}); writing them one by one",
          records.size(),
          SqlFailures.describe(e));
      stored = 0;
      try {
        for (DecodedBatch.Message m : batch.messages()) {
          stored += attemptAlone(DecodedBatch.of(m), m.index(), poison);
        }
        for (DecodedBatch.Event ev : batch.events()) {
          stored += attemptAlone(DecodedBatch.of(ev), ev.index(), poison);
        }
      } catch (SQLException again) {
        return unavailable(again);
      }
      return written(batch, stored, poison);
    }
    foldRollupsNowAndThen();
    return written(decoding.all(), stored, decoding.all().poison());
  }

  /**
   * Folds the rollup deltas of committed batches into the stored rollups (plain PostgreSQL; the
   * readers' view adds the deltas not folded yet, so this changes what a read costs, never what it
   * sees). Returns how many deltas were folded; 0 on TimescaleDB, which keeps its own aggregates.
   *
   * @throws IllegalStateException when the database fails the fold (nothing is lost: the deltas
   *     stay for the next fold)
   */
  public long foldRollups() {
    if (flavor != Flavor.POSTGRES) {
      return 0;
    }
    nextFoldNanos = System.nanoTime() + foldEvery.toNanos();
    try {
      Connection c = connection();
      try (PreparedStatement s = c.prepareStatement(MergeSql.FOLD_ROLLUPS);
          ResultSet rs = s.executeQuery()) {
        rs.next();
        long folded = rs.getLong(1);
        c.commit();
        return folded;
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot fold rollups: " + SqlFailures.describe(e), e);
    }
  }

  /**
   * After a batch, folds the deltas once per {@link #FOLD_EVERY} (by default): each bucket is then
   * upserted once for all the batches of that time rather than once per batch.
   */
  private void foldRollupsNowAndThen() {
    if (flavor != Flavor.POSTGRES || System.nanoTime() - nextFoldNanos < 0) {
      return;
    }
    try {
      foldRollups();
    } catch (IllegalStateException e) {
      // The batch is committed; its deltas wait for the next fold.
      log.debug("rollup fold failed; retried after the next batch", e);
    }
  }

  private static WriteOutcome written(DecodedBatch batch, int stored, List<Poison> poison) {
    int written = batch.messages().size() + batch.events().size();
    int refused = poison.size() - batch.poison().size();
    List<Poison> sorted = new ArrayList<>(poison);
    sorted.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new WriteOutcome.Written(stored, written - refused - stored, sorted);
  }

  /**
   * How many message batches (or, after the database refused a batch's data, single records) took
   * each way so far: for tests and diagnostics.
   */
  public Paths paths() {
    return new Paths(fastBatches, mergedBatches);
  }

  /**
   * Counts of the two ways messages are written.
   *
   * @param fast written by {@code COPY} straight into the tables (nothing was stored yet)
   * @param merged written through staging and the merge: the {@link Staging#INSERT} mode, a key
   *     twice in the batch, a message already stored (the fast path then rolled back), or the batch
   *     right after a merge that found duplicates (they come in runs)
   */
  public record Paths(long fast, long merged) {
    public Paths {
      if (fast < 0 || merged < 0) {
        throw new IllegalArgumentException("counts must be >= 0, got " + fast + ", " + merged);
      }
    }
  }

  /** Closes the connection; a later {@link #write} opens a new one. */
  @Override
  public void close() {
    dropConnection();
  }

  private int attemptAlone(DecodedBatch one, int index, List<Poison> poison) throws SQLException {
    try {
      return attempt(BatchDecoding.of(one));
    } catch (SQLException e) {
      if (!SqlFailures.isRefusedData(e)) {
        throw e;
      }
      poison.add(new Poison(index, "rejected_by_database", SqlFailures.describe(e)));
      return 0;
    }
  }

  /**
   * One transaction; returns how many records were new. The fast path when it may apply; else, or
   * when it turns out not to (after rolling it back), staging and the merge.
   */
  private int attempt(BatchDecoding decoding) throws SQLException {
    Connection c = connection();
    try {
      int stored = 0;
      boolean merge = staging != Staging.COPY || expectDuplicates;
      if (flavor == Flavor.POSTGRES && knownPartitions.isEmpty()) {
        // A new connection, or one after a failure: learn which days exist before the fast path
        // finds out the expensive way (its COPY undone).
        knownPartitions.addAll(Partitions.existing(c));
      }
      if (!merge) {
        FastPath.Outcome outcome = fastPath(c, decoding);
        if (outcome == FastPath.Outcome.NEEDS_PARTITIONS) {
          // Only the messages' COPY ran in this transaction: undo it, make the days, try again.
          c.rollback();
          ensurePartitions(c, decoding.all());
          outcome = fastPath(c, BatchDecoding.of(decoding.all()));
        }
        if (outcome == FastPath.Outcome.WRITTEN) {
          fastBatches++;
          stored += decoding.all().messages().size();
        } else {
          c.rollback();
          log.debug("fast path not taken ({}); merging the batch instead", outcome);
          merge = true;
        }
      }
      DecodedBatch batch = decoding.all();
      if (merge && !batch.messages().isEmpty()) {
        ensurePartitions(c, batch);
        stored += mergeMessages(c, batch.messages());
      }
      if (!batch.events().isEmpty()) {
        stored += insertEvents(c, batch.events());
      }
      c.commit();
      return stored;
    } catch (SQLException | RuntimeException e) {
      // A dropped partition (retention) or a lost connection: look at the catalog again next time.
      knownPartitions.clear();
      rollbackQuietly(c);
      throw e instanceof SQLException sql ? sql : new SQLException(e.getMessage(), "08000", e);
    } catch (java.io.IOException e) {
      knownPartitions.clear();
      rollbackQuietly(c);
      throw new SQLException("COPY failed: " + e.getMessage(), "08000", e);
    }
  }

  private FastPath.Outcome fastPath(Connection c, BatchDecoding decoding)
      throws SQLException, java.io.IOException {
    boolean partitioned = flavor == Flavor.POSTGRES;
    return FastPath.write(c, copy, decoding, partitioned, partitioned ? knownPartitions : null);
  }

  /** Creates the batch's days' partitions that are not known to exist; commits on its own. */
  private void ensurePartitions(Connection c, DecodedBatch batch) throws SQLException {
    if (flavor == Flavor.POSTGRES) {
      Set<LocalDate> days = batch.pointDays();
      if (!knownPartitions.containsAll(days)) {
        knownPartitions.addAll(Partitions.ensure(c, days));
      }
    }
  }

  /**
   * The batch's messages through staging and the merge, in the open transaction. Returns how many
   * were new.
   */
  private int mergeMessages(Connection c, List<DecodedBatch.Message> messages)
      throws SQLException, java.io.IOException {
    mergedBatches++;
    stage(c, messages);
    int stored;
    // A prepared statement: the driver keeps it per connection and, from the fifth batch on,
    // the server skips parsing and planning the merge.
    try (PreparedStatement s =
            c.prepareStatement(
                flavor == Flavor.POSTGRES ? MergeSql.MERGE_WITH_ROLLUPS : MergeSql.MERGE);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      stored = rs.getInt(1);
    }
    if (ConnectivitySql.concerns(messages)) {
      recordConnectivity(c);
    }
    // Duplicates come in runs (a redelivery after a crash, a replay): while they do, merging
    // straight away saves a COPY bound to fail; a batch found all new lets the next one try the
    // fast path again. (Set before commit: a failed commit only makes the next batch merge.)
    expectDuplicates = stored < messages.size();
    return stored;
  }

  private void stage(Connection c, List<DecodedBatch.Message> messages)
      throws SQLException, java.io.IOException {
    if (staging == Staging.COPY) {
      copy.copyIn(MergeSql.COPY_STAGING, new StringReader(stagingRows(messages)));
      return;
    }
    int n = messages.size();
    boolean[] latest = latestHolders(messages);
    Object[][] columns = new Object[19][n];
    for (int i = 0; i < n; i++) {
      DecodedBatch.Message m = messages.get(i);
      Telemetry t = m.envelope().telemetry();
      Map<String, Double> metrics = new TreeMap<>(t.metrics());
      double[] values = new double[metrics.size()];
      int v = 0;
      for (double d : metrics.values()) {
        values[v++] = d;
      }
      Object[] row = {
        m.index(),
        m.record().gatewayId(),
        m.record().walOffset(),
        t.deviceId(),
        t.seq().isPresent() ? t.seq().getAsLong() : null,
        m.envelope().schema().wireName(),
        t.receivedAt().toString(),
        t.deviceTime().map(Object::toString).orElse(null),
        m.time().toString(),
        t.traceId(),
        t.sourceTopic(),
        m.envelope().transport().name().toLowerCase(Locale.ROOT),
        t.format().name().toLowerCase(Locale.ROOT),
        CopyText.json(new TreeMap<>(t.tags())),
        t.payload().orElse(null),
        CopyText.arrayLiteral(List.copyOf(metrics.keySet())),
        CopyText.arrayLiteral(values),
        latest[i] ? "t" : "f",
        m.time().truncatedTo(ChronoUnit.MINUTES).toString()
      };
      for (int col = 0; col < row.length; col++) {
        columns[col][i] = row[col];
      }
    }
    String[] types = {
      "integer", "text", "bigint", "text", "bigint", "text", "text", "text", "text", "text", "text",
      "text", "text", "text", "text", "text", "text", "text", "text"
    };
    try (PreparedStatement ps = c.prepareStatement(MergeSql.INSERT_STAGING)) {
      for (int col = 0; col < columns.length; col++) {
        ps.setArray(col + 1, c.createArrayOf(types[col], columns[col]));
      }
      ps.executeUpdate();
    }
  }

  private static String stagingRows(List<DecodedBatch.Message> messages) {
    CopyText rows = new CopyText(messages.size());
    boolean[] latest = latestHolders(messages);
    for (int n = 0; n < messages.size(); n++) {
      DecodedBatch.Message m = messages.get(n);
      Telemetry t = m.envelope().telemetry();
      rows.number(m.index())
          .text(m.record().gatewayId())
          .number(m.record().walOffset())
          .text(t.deviceId());
      if (t.seq().isPresent()) {
        rows.number(t.seq().getAsLong());
      } else {
        rows.nullValue();
      }
      rows.text(m.envelope().schema().wireName())
          .text(t.receivedAt().toString())
          .textOrNull(t.deviceTime().map(Object::toString).orElse(null))
          .text(m.time().toString())
          .text(t.traceId())
          .text(t.sourceTopic())
          .text(m.envelope().transport().name().toLowerCase(Locale.ROOT))
          .text(t.format().name().toLowerCase(Locale.ROOT))
          .jsonObject(new TreeMap<>(t.tags()))
          .textOrNull(t.payload().orElse(null));
      Map<String, Double> metrics = new TreeMap<>(t.metrics());
      double[] values = new double[metrics.size()];
      int i = 0;
      for (double v : metrics.values()) {
        values[i++] = v;
      }
      rows.textArray(List.copyOf(metrics.keySet()))
          .doubleArray(values)
          .text(latest[n] ? "t" : "f")
          .text(m.time().truncatedTo(ChronoUnit.MINUTES).toString())
          .endRow();
    }
    return rows.toString();
  }

  /**
   * Which messages hold the latest value of at least one of their device's metrics in the batch
   * (latest by time, then seq). When every message of the batch turns out new, the merge updates
   * latest values from these alone rather than sorting every point; otherwise it sorts all points
   * of the new messages, so a duplicate never hides a new message's value.
   */
  static boolean[] latestHolders(List<DecodedBatch.Message> messages) {
    Map<String, Map<String, Integer>> best = new HashMap<>();
    for (int i = 0; i < messages.size(); i++) {
      DecodedBatch.Message m = messages.get(i);
      Telemetry t = m.envelope().telemetry();
      Map<String, Integer> byMetric = best.computeIfAbsent(t.deviceId(), d -> new HashMap<>());
      for (String metric : t.metrics().keySet()) {
        Integer current = byMetric.get(metric);
        if (current == null || BatchAggregates.later(m, messages.get(current))) {
          byMetric.put(metric, i);
        }
      }
    }
    boolean[] holders = new boolean[messages.size()];
    for (Map<String, Integer> byMetric : best.values()) {
      for (int i : byMetric.values()) {
        holders[i] = true;
      }
    }
    return holders;
  }

  private static int insertEvents(Connection c, List<DecodedBatch.Event> events)
      throws SQLException {
    int n = events.size();
    String[] gateways = new String[n];
    Long[] offsets = new Long[n];
    String[] kinds = new String[n];
    String[] ats = new String[n];
    String[] attributes = new String[n];
    for (int i = 0; i < n; i++) {
      DecodedBatch.Event e = events.get(i);
      gateways[i] = e.record().gatewayId();
      offsets[i] = e.record().walOffset();
      kinds[i] = e.event().kind().wireName();
      ats[i] = e.event().at().toString();
      attributes[i] = CopyText.json(e.event().attributes());
    }
    try (PreparedStatement ps = c.prepareStatement(MergeSql.GATEWAY_EVENTS)) {
      Array[] arrays = {
        c.createArrayOf("text", gateways),
        c.createArrayOf("bigint", offsets),
        c.createArrayOf("text", kinds),
        c.createArrayOf("text", ats),
        c.createArrayOf("text", attributes)
      };
      for (int i = 0; i < arrays.length; i++) {
        ps.setArray(i + 1, arrays[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  /**
   * Device connectivity from the connected and disconnected events among the batch's new messages:
   * after the merge, from the staging table it read, in the same transaction.
   */
  private static void recordConnectivity(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(ConnectivitySql.RECORD);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
    }
  }

  private Connection connection() throws SQLException {
    if (connection != null) {
      return connection;
    }
    Connection c = DriverManager.getConnection(options.jdbcUrl(), options.driverProperties());
    try {
      try (Statement s = c.createStatement()) {
        s.execute(MergeSql.CREATE_STAGING);
      }
      c.setAutoCommit(false);
      if (staging == Staging.COPY) {
        copy = c.unwrap(PGConnection.class).getCopyAPI();
      }
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    connection = c;
    return c;
  }

  private WriteOutcome unavailable(SQLException e) {
    String reason = SqlFailures.describe(e);
    log.debug("store unavailable: {}", reason, e);
    // Whatever went wrong, the next attempt starts from a fresh connection and a fresh staging
    // table rather than guessing the state of this one.
    dropConnection();
    return new WriteOutcome.Unavailable(reason);
  }

  private void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException e) {
      log.debug("rollback failed; the connection will be replaced", e);
      dropConnection();
    }
  }

  private void dropConnection() {
    Connection c = connection;
    connection = null;
    copy = null;
    knownPartitions.clear();
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        log.debug("closing a failed connection", e);
      }
    }
  }
}
