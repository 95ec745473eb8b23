package io.auditgate.ingest.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a batch body, a JSON array of messages, into the exact bytes of each message.
 *
 * <p>Each item is handed on as the bytes the device sent, not re-serialised: the log keeps what
 * arrived (evidence), and a number like {@code 21.50} reaches validation as written. Items are not
 * validated here beyond being JSON values; that is the ingest's job, per item.
 */
final class BatchSplitter {
  private static final JsonFactory JSON = new JsonFactory();

  private BatchSplitter() {}

  sealed interface Split {}

  record Items(List<byte[]> items) implements Split {}

  record Invalid(String message) implements Split {}

  record TooManyItems(int max) implements Split {}

  static Split split(byte[] body, int maxItems) {
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        return new Invalid("a batch must be a JSON array of messages");
      }
      List<byte[]> items = new ArrayList<>();
      for (JsonToken token = parser.nextToken();
          token != JsonToken.END_ARRAY;
          token = parser.nextToken()) {
        if (token == null) {
          return new Invalid("the batch array is not closed");
        }
        if (items.size() == maxItems) {
          return new TooManyItems(maxItems);
        }
        long start = parser.currentTokenLocation().getByteOffset();
        if (start < 0) {
          // Jackson reads UTF-16/32 through a character reader that has no byte offsets.
          return new Invalid("a batch must be UTF-8 JSON");
        }
        // Scalars are parsed lazily; finishing them moves the location past their last byte.
        parser.finishToken();
        parser.skipChildren();
        long end = parser.currentLocation().getByteOffset();
        items.add(Arrays.copyOfRange(body, (int) start, (int) end));
      }
      if (parser.nextToken() != null) {
        return new Invalid("unexpected data after the batch array");
      }
      if (items.isEmpty()) {
        return new Invalid("a batch must hold at least one message");
      }
      return new Items(items);
    } catch (JsonProcessingException e) {
      return new Invalid("the batch is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      // Parsing a byte array performs no I/O; reaching here is a bug in this class or Jackson.
      throw new UncheckedIOException(e);
    }
  }
}
