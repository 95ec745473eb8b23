package io.auditgate.fleet.internal;

import java.io.IOException;
import java.io.PushbackReader;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * RFC 4180 rows with the line each starts on: fields separated by commas, optionally quoted, a
 * doubled quote inside quotes is a quote, line breaks (LF or CRLF) inside quotes belong to the
 * field. A quote left open is reported on the row, not thrown.
 */
final class CsvReader {
  /** One row; {@code malformed} says why it could not be read properly. */
  record Row(int line, List<String> cells, Optional<String> malformed) {}

  private final PushbackReader in;
  private int line = 1;
  private boolean ended;

  CsvReader(Reader reader) {
    this.in = new PushbackReader(reader, 1);
  }

  Optional<Row> next() throws IOException {
    if (ended) {
      return Optional.empty();
    }
    int startLine = line;
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    Optional<String> malformed = Optional.empty();
    while (true) {
      int c = in.read();
      if (c == -1) {
        ended = true;
        if (quoted) {
          malformed = Optional.of("a quoted field is not closed");
        }
        if (!any && cells.isEmpty() && cell.length() == 0) {
          return Optional.empty();
        }
        cells.add(cell.toString());
        return Optional.of(new Row(startLine, cells, malformed));
      }
      any = true;
      if (quoted) {
        if (c == '"') {
          int n = in.read();
          if (n == '"') {
            cell.append('"');
          } else {
            quoted = false;
            if (n != -1) {
              in.unread(n);
            }
          }
        } else {
          if (c == '\n') {
            line++;
          }
          cell.append((char) c);
        }
      } else if (c == '"' && cell.toString().isBlank()) {
        quoted = true;
        cell.setLength(0);
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else if (c == '\r') {
        // part of CRLF; a lone CR is dropped too
      } else if (c == '\n') {
        line++;
        cells.add(cell.toString());
        return Optional.of(new Row(startLine, cells, malformed));
      } else {
        cell.append((char) c);
      }
    }
  }
}
