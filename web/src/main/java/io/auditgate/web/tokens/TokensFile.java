package io.auditgate.web.tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * API tokens kept in a file rather than in the store ({@code web.tokens_file}): how a node without
 * a database (a gateway forwarding to Kafka) authenticates the scrapers of its {@code /metrics}.
 * The file never holds a token, only its SHA-256, like the {@code api_tokens} table.
 *
 * <h2>Format (UTF-8 text, one token per line)</h2>
 *
 * <pre>
 * # comments and blank lines are ignored
 * # &lt;sha256 of the whole token string, 64 hex digits&gt; &lt;scopes, comma-separated&gt; &lt;name&gt;
 * 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 metrics prometheus-edge-1
 * </pre>
 *
 * <ul>
 *   <li>field 1: the SHA-256 of the token string ({@code agt_...}, UTF-8), 64 hex digits (either
 *       case); {@code printf %s agt_... | sha256sum} computes it
 *   <li>field 2: one or more of {@code read}, {@code write}, {@code metrics}, comma-separated
 *       without spaces ({@code admin} is reserved for the certificate authority and refused here)
 *   <li>field 3: the name, the rest of the line (1 to 100 printable characters, spaces allowed),
 *       unique in the file; it is what a 403 and the logs call the token
 * </ul>
 *
 * Fields are separated by spaces or tabs. A token from the file has its line number as id, the
 * file's modification time as creation time, and cannot be revoked by id: delete its line and
 * restart the node (the file is read once, at start). {@code auditgate tokens create --file PATH}
 * appends a line and prints the token once.
 *
 * <p>Thread-safety: a loaded instance is immutable and {@link #authenticate} is thread-safe and
 * non-blocking. {@link #append} locks the file (an advisory lock) while it checks and writes, so
 * concurrent appends by processes that use it do not interleave.
 */
public final class TokensFile implements TokenAuthenticator {
  private static final Pattern HASH = Pattern.compile("^[0-9A-Fa-f]{64}$");
  private static final Pattern NAME = Pattern.compile("^[\\p{Graph} ]{1,100}$");
  private static final Pattern FIELDS = Pattern.compile("^(\\S+)[ \\t]+(\\S+)[ \\t]+(.+)$");

  private final Map<String, ApiToken> byHash;

  private TokensFile(Map<String, ApiToken> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** What reading or parsing a tokens file gave. */
  public sealed interface Parsed permits Loaded, Invalid {}

  /** What appending a token gave. */
  public sealed interface Appended permits Created, Invalid {}

  /** A valid file: its tokens. */
  public record Loaded(TokensFile tokens) implements Parsed {
    public Loaded {
      Objects.requireNonNull(tokens, "tokens");
    }
  }

  /** A token appended to the file: the only moment its secret exists. */
  public record Created(IssuedToken issued, int line) implements Appended {
    public Created {
      Objects.requireNonNull(issued, "issued");
    }
  }

  /**
   * The file cannot be used.
   *
   * @param line the 1-based line at fault; 0 for the whole file (missing, unreadable, or a name
   *     given to {@link #append} that it already holds)
   * @param reason a stable code: {@code not_found}, {@code unreadable}, {@code missing_fields},
   *     {@code invalid_hash}, {@code unknown_scope}, {@code invalid_name}, {@code duplicate_hash},
   *     {@code duplicate_name}
   * @param message what is wrong, for a person
   */
  public record Invalid(int line, String reason, String message) implements Parsed, Appended {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }

    /** {@code line 3: invalid_hash: ...}, or without the line for a whole-file problem. */
    public String describe() {
      return (line > 0 ? "line " + line + ": " : "") + reason + ": " + message;
    }
  }

  /**
   * Reads and checks {@code file}.
   *
   * @return the tokens, or the first problem with the line it is on; never throws for a bad or
   *     missing file
   */
  public static Parsed read(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return parse(lines, Files.getLastModifiedTime(file).toInstant());
    } catch (NoSuchFileException e) {
      return new Invalid(0, "not_found", "no such file: " + file);
    } catch (MalformedInputException e) {
      return new Invalid(0, "unreadable", file + " is not UTF-8 text");
    } catch (IOException e) {
      return new Invalid(0, "unreadable", "cannot read " + file + ": " + e.getMessage());
    }
  }

  /**
   * Parses the lines of a tokens file.
   *
   * @param createdAt what the tokens report as their creation time (the file's modification time)
   */
  public static Parsed parse(List<String> lines, Instant createdAt) {
    Objects.requireNonNull(createdAt, "createdAt");
    Map<String, ApiToken> byHash = new HashMap<>();
    Map<String, Integer> names = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      int number = i + 1;
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      var fields = FIELDS.matcher(line);
      if (!fields.matches()) {
        return new Invalid(
            number,
            "missing_fields",
            "expected '<sha256 hex> <scopes> <name>' separated by spaces");
      }
      String hash = fields.group(1);
      if (!HASH.matcher(hash).matches()) {
        return new Invalid(
            number,
            "invalid_hash",
            "the first field must be the token's SHA-256 as 64 hex digits (never the token"
                + " itself), got "
                + hash.length()
                + " characters");
      }
      Set<Scope> scopes = EnumSet.noneOf(Scope.class);
      for (String label : fields.group(2).split(",", -1)) {
        Optional<Scope> scope = Scope.parse(label).filter(s -> s != Scope.ADMIN);
        if (scope.isEmpty()) {
          return new Invalid(
              number,
              "unknown_scope",
              "'" + label + "' is not a scope; use read, write or metrics, comma-separated");
        }
        scopes.add(scope.get());
      }
      String name = fields.group(3).strip();
      if (!NAME.matcher(name).matches()) {
        return new Invalid(
            number, "invalid_name", "the name must be 1 to 100 printable characters");
      }
      Integer earlier = names.putIfAbsent(name, number);
      if (earlier != null) {
        return new Invalid(
            number, "duplicate_name", "the name '" + name + "' is on line " + earlier + " too");
      }
      String key = hash.toLowerCase(Locale.ROOT);
      ApiToken token =
          new ApiToken(number, name, scopes, createdAt, Optional.empty(), Optional.empty());
      ApiToken clash = byHash.putIfAbsent(key, token);
      if (clash != null) {
        return new Invalid(
            number, "duplicate_hash", "the same token hash is on line " + clash.id() + " too");
      }
    }
    return new Loaded(new TokensFile(byHash));
  }

  /**
   * Creates a token and appends its line to {@code file} (created, owner-only where the file system
   * has POSIX permissions, when missing). The existing file is checked first: nothing is appended
   * to a file that would not load.
   *
   * @param name unique in the file, 1 to 100 printable characters
   * @param scopes at least one of read, write, metrics
   * @return the token with its secret (to show once) and its line, or why nothing was appended
   * @throws IllegalArgumentException for an unusable name or scope set
   * @throws UncheckedIOException when the file cannot be written
   */
  public static synchronized Appended append(Path file, String name, Set<Scope> scopes) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    if (!NAME.matcher(name).matches() || !name.equals(name.strip())) {
      throw new IllegalArgumentException(
          "name must be 1 to 100 printable characters without leading or trailing spaces, got '"
              + name
              + "'");
    }
    if (scopes.isEmpty() || scopes.contains(Scope.ADMIN)) {
      throw new IllegalArgumentException("scopes must be one or more of read, write, metrics");
    }
    try {
      if (!Files.exists(file)) {
        create(file);
      }
      // Held while checking and writing, so that two appends (two operators, a script) cannot
      // interleave or both take the same name. Advisory: an editor ignores it. A JVM holds file
      // locks for all its threads, hence also synchronized.
      try (FileChannel channel =
          FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
        FileLock lock = channel.lock();
        try {
          return appendLocked(file, channel, name, scopes);
        } finally {
          lock.release();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the tokens file " + file, e);
    }
  }

  private static Appended appendLocked(
      Path file, FileChannel channel, String name, Set<Scope> scopes) throws IOException {
    Parsed parsed = read(file);
    if (parsed instanceof Invalid invalid) {
      return invalid;
    }
    TokensFile current = ((Loaded) parsed).tokens();
    if (current.byHash.values().stream().anyMatch(t -> t.name().equals(name))) {
      return new Invalid(0, "duplicate_name", "the file already has a token named '" + name + "'");
    }
    String secret = TokenSecret.generate();
    StringBuilder text = new StringBuilder();
    long size = channel.size();
    if (size == 0) {
      text.append(HEADER);
    } else if (!endsWithNewline(channel, size)) {
      text.append('\n');
    }
    text.append(line(HexFormat.of().formatHex(TokenSecret.sha256(secret)), scopes, name));
    text.append('\n');
    channel.position(size);
    ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    channel.force(true);
    int number = Files.readAllLines(file, StandardCharsets.UTF_8).size();
    ApiToken token =
        new ApiToken(
            number,
            name,
            scopes,
            Files.getLastModifiedTime(file).toInstant(),
            Optional.empty(),
            Optional.empty());
    return new Created(new IssuedToken(token, secret), number);
  }

  private static boolean endsWithNewline(FileChannel channel, long size) throws IOException {
    ByteBuffer last = ByteBuffer.allocate(1);
    channel.read(last, size - 1);
    return last.get(0) == '\n';
  }

  /** The header a new file starts with, so a person reading it knows what it is. */
  static final String HEADER =
      "# auditgate API tokens (web.tokens_file): the SHA-256 of each token, never the token\n"
          + "# <sha256 hex> <scopes: read,write,metrics> <name>\n";

  /** One line of the format. */
  static String line(String sha256Hex, Set<Scope> scopes, String name) {
    String labels = scopes.stream().map(Scope::label).sorted().collect(Collectors.joining(","));
    return sha256Hex + " " + labels + " " + name;
  }

  private static void create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        // Hashes are no secret, but who may scrape is nobody else's business either.
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } else {
        Files.createFile(file);
      }
    } catch (FileAlreadyExistsException raced) {
      // Created between the check and here: appending to it is what was asked.
    }
  }

  /** How many tokens the file holds. */
  public int size() {
    return byHash.size();
  }

  /** The tokens, without their hashes, by line. */
  public List<ApiToken> tokens() {
    return byHash.values().stream()
        .sorted((a, b) -> Long.compare(a.id(), b.id()))
        .collect(Collectors.toList());
  }

  @Override
  public Optional<ApiToken> authenticate(String secret) {
    if (!TokenSecret.wellFormed(secret)) {
      return Optional.empty();
    }
    return Optional.ofNullable(byHash.get(HexFormat.of().formatHex(TokenSecret.sha256(secret))));
  }
}
