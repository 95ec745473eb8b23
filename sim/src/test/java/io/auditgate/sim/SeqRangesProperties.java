package io.auditgate.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

class SeqRangesProperties {
  @Property
  void holdsExactlyTheNumbersAddedAsDisjointSortedRanges(
      @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 400) Long> seqs) {
    SeqRanges ranges = new SeqRanges();
    TreeSet<Long> expected = new TreeSet<>();

    for (long seq : seqs) {
      assertThat(ranges.add(seq)).isEqualTo(expected.add(seq));
    }

    assertThat(ranges.count()).isEqualTo(expected.size());
    for (long seq = 0; seq <= 401; seq++) {
      assertThat(ranges.contains(seq)).isEqualTo(expected.contains(seq));
    }
    long previousEnd = Long.MIN_VALUE;
    for (long[] range : ranges.ranges()) {
      assertThat(range[0]).isLessThanOrEqualTo(range[1]);
      assertThat(range[0]).as("ranges neither overlap nor touch").isGreaterThan(previousEnd + 1);
      previousEnd = range[1];
    }
  }
}
