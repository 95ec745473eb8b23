package io.auditgate.fleet;

import java.util.List;

/**
 * One page of a longer, ordered result.
 *
 * @param items at most {@code limit} items, in the query's order
 * @param offset how many items of the whole result precede the first of this page
 * @param limit the page size asked for
 * @param total how many items the whole result holds (so {@code offset + items.size() < total}
 *     means there is a next page)
 */
public record Page<T>(List<T> items, int offset, int limit, long total) {
  public Page {
    items = Values.list("items", items);
    Values.offset(offset);
    Values.limit(limit);
    Values.notNegative("total", total);
    if (items.size() > limit) {
      throw new IllegalArgumentException(
          "items must be at most limit (" + limit + "), got " + items.size());
    }
  }

  /** Whether items follow this page. */
  public boolean hasMore() {
    return offset + items.size() < total;
  }
}
