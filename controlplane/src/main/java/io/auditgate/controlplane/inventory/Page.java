package io.auditgate.controlplane.inventory;

import java.util.List;
import java.util.Objects;

/**
 * One page of a longer, ordered result.
 *
 * @param items at most {@code limit} items, in the query's order
 * @param offset how many items of the whole result precede the first of this page
 * @param limit the page size asked for
 * @param total how many items the whole result holds
 */
public record Page<T>(List<T> items, int offset, int limit, long total) {
  public Page {
    items = List.copyOf(Objects.requireNonNull(items, "items"));
    if (offset < 0 || limit < 1 || total < 0 || items.size() > limit) {
      throw new IllegalArgumentException(
          "page must have offset >= 0, limit >= 1, total >= 0 and at most limit items, got offset "
              + offset
              + ", limit "
              + limit
              + ", total "
              + total
              + ", "
              + items.size()
              + " items");
    }
  }

  public boolean hasMore() {
    return offset + items.size() < total;
  }
}
