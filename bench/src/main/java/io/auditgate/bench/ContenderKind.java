package io.auditgate.bench;

import java.util.function.Supplier;

/** The contenders of {@code auditgate bench wal}, in the order the JSON lists them. */
enum ContenderKind {
  AUDITGATE(
      AuditgateWalContender.NAME,
      "auditgate SegmentedWal, WalConfig.defaults(): group commit with linger 0, one positional"
          + " write of the batch's CRC32C-framed records then force(false)",
      AuditgateWalContender::new),
  SQLITE_PER_MESSAGE(
      SqlitePerMessageContender.NAME,
      "the seed's design: SQLite journal_mode=WAL, synchronous=FULL, one row per message, one"
          + " auto-committed INSERT (prepared) per message, producers serialized on one connection",
      SqlitePerMessageContender::new),
  SQLITE_GROUP_COMMIT(
      SqliteGroupCommitContender.NAME,
      "SQLite with the same settings and group commit: a writer thread inserts every queued"
          + " message (one row each, prepared statement) in one transaction, then acknowledges",
      SqliteGroupCommitContender::new),
  RAW_FORCE(
      RawForceContender.NAME,
      "physical limit: a writer thread appends each batch's messages, each behind a 25-byte"
          + " header, with one FileChannel write and one force(false); no checksum or bookkeeping",
      RawForceContender::new);

  private final String jsonName;
  private final String description;
  private final Supplier<Contender> factory;

  ContenderKind(String jsonName, String description, Supplier<Contender> factory) {
    this.jsonName = jsonName;
    this.description = description;
    this.factory = factory;
  }

  String jsonName() {
    return jsonName;
  }

  String description() {
    return description;
  }

  Contender create() {
    return factory.get();
  }
}
