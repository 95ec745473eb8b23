package io.auditgate.ingest.pipeline;

import static io.auditgate.ingest.pipeline.SeqTracker.Observation.BEYOND_WINDOW;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.DUPLICATE;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.FIRST;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.GAP;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.NEXT;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.NO_SEQ;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.REORDERED;
import static io.auditgate.ingest.pipeline.SeqTracker.Observation.RESTART;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.auditgate.ingest.pipeline.SeqTracker.Observation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SeqTrackerTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private final SeqTracker tracker = new SeqTracker(64, 1000);

  private List<Observation> feed(String device, long... seqs) {
    List<Observation> seen = new ArrayList<>();
    for (long seq : seqs) {
      seen.add(tracker.record(device, OptionalLong.of(seq), Optional.empty(), NOW));
    }
    return seen;
  }

  private DeviceSequence state(String device) {
    return tracker.device(device).orElseThrow();
  }

  @Test
  void anOrderedStreamHasNoAnomalies() {
    assertThat(feed("d", 5, 6, 7, 8)).containsExactly(FIRST, NEXT, NEXT, NEXT);

    DeviceSequence d = state("d");
    assertThat(d.messages()).isEqualTo(4);
    assertThat(d.highestSeq()).hasValue(8);
    assertThat(d.gaps() + d.missing() + d.duplicates() + d.reordered() + d.restarts()).isZero();
    assertThat(d.lastReceivedAt()).isEqualTo(NOW);
  }

  @Test
  void aJumpCountsTheMissingNumbersAndALateArrivalFillsOne() {
    assertThat(feed("d", 1, 2, 6, 4)).containsExactly(FIRST, NEXT, GAP, REORDERED);

    DeviceSequence d = state("d");
    assertThat(d.gaps()).isEqualTo(1);
    assertThat(d.missing()).as("3 and 5 never came").isEqualTo(2);
    assertThat(d.reordered()).isEqualTo(1);
    assertThat(d.highestSeq()).hasValue(6);
  }

  @Test
  void repeatsAreDuplicatesWhetherOfTheHighestOrOfALateOne() {
    assertThat(feed("d", 10, 11, 12, 12, 10, 9, 9))
        .containsExactly(FIRST, NEXT, NEXT, DUPLICATE, DUPLICATE, REORDERED, DUPLICATE);

    DeviceSequence d = state("d");
    assertThat(d.duplicates()).isEqualTo(3);
    assertThat(d.reordered()).isEqualTo(1);
    assertThat(d.missing()).as("numbers below the first were never expected").isZero();
  }

  @Test
  void aDropToZeroOrOneFromFarAboveIsARestartNotADuplicate() {
    feed("d", LongStream.rangeClosed(0, 100).toArray());

    assertThat(feed("d", 0, 1, 2)).containsExactly(RESTART, NEXT, NEXT);
    assertThat(feed("e", 200, 1)).containsExactly(FIRST, RESTART);

    DeviceSequence d = state("d");
    assertThat(d.restarts()).isEqualTo(1);
    assertThat(d.duplicates()).isZero();
    assertThat(d.highestSeq()).hasValue(2);
  }

  @Test
  void aRedeliveryOfTheFirstNumbersIsADuplicateNotARestart() {
    assertThat(feed("d", 0, 1, 2, 3, 1)).containsExactly(FIRST, NEXT, NEXT, NEXT, DUPLICATE);
    assertThat(state("d").restarts()).isZero();
  }

  @Test
  void numbersBelowTheWindowCannotBeClassified() {
    feed("d", 100, 200);

    assertThat(feed("d", 136, 137, 150)).containsExactly(BEYOND_WINDOW, REORDERED, REORDERED);
    assertThat(state("d").beyondWindow()).isEqualTo(1);
  }

  @Test
  void theWindowForgetsWhatItPasses() {
    feed("d", 0, 1, 2, 3);

    assertThat(feed("d", 66)).containsExactly(GAP);
    assertThat(feed("d", 64))
        .as("64 shares its bit with 0, which the window passed, so it is new")
        .containsExactly(REORDERED);
    assertThat(feed("d", 3)).as("3 is inside the window (66 - 63)").containsExactly(DUPLICATE);
    assertThat(feed("d", 2)).as("2 is not (66 - 64)").containsExactly(BEYOND_WINDOW);
  }

  @Test
  void hugeJumpsSaturateInsteadOfOverflowing() {
    assertThat(feed("d", 0, Long.MAX_VALUE, 0, Long.MAX_VALUE))
        .containsExactly(FIRST, GAP, RESTART, GAP);

    assertThat(state("d").missing()).isEqualTo(Long.MAX_VALUE);
    assertThat(state("d").gaps()).isEqualTo(2);
  }

  @Test
  void clockSkewIsReceivedAtMinusDeviceTime() {
    tracker.record("d", OptionalLong.empty(), Optional.of(NOW.minusSeconds(3)), NOW);
    tracker.record("d", OptionalLong.empty(), Optional.of(NOW.plusSeconds(10)), NOW);
    Observation last =
        tracker.record("d", OptionalLong.empty(), Optional.of(NOW.minusMillis(500)), NOW);

    DeviceSequence d = state("d");
    assertThat(last).isEqualTo(NO_SEQ);
    assertThat(d.lastClockSkew()).contains(Duration.ofMillis(500));
    assertThat(d.maxAbsClockSkew()).as("a clock ahead counts too").contains(Duration.ofSeconds(10));
    assertThat(d.highestSeq()).isEmpty();
    assertThat(d.messages()).isEqualTo(3);
  }

  @Test
  void withoutADeviceTimeThereIsNoSkew() {
    feed("d", 1);

    assertThat(state("d").lastClockSkew()).isEmpty();
    assertThat(state("d").maxAbsClockSkew()).isEmpty();
  }

  @Test
  void devicesAreTrackedApart() {
    feed("a", 1, 2);
    feed("b", 1, 1);

    assertThat(state("a").duplicates()).isZero();
    assertThat(state("b").duplicates()).isEqualTo(1);
    assertThat(tracker.devices()).extracting(DeviceSequence::deviceId).containsExactly("a", "b");
  }

  @Test
  void beyondTheBoundTheDeviceHeardFromLongestAgoIsForgotten() {
    SeqTracker small = new SeqTracker(64, 3);
    for (String device : List.of("a", "b", "c")) {
      small.record(device, OptionalLong.of(1), Optional.empty(), NOW);
    }
    small.device("a"); // reading is not hearing from it
    small.record("a", OptionalLong.of(2), Optional.empty(), NOW);

    small.record("d", OptionalLong.of(1), Optional.empty(), NOW);

    assertThat(small.trackedDevices()).isEqualTo(3);
    assertThat(small.forgottenDevices()).isEqualTo(1);
    assertThat(small.device("b")).as("b was heard from longest ago").isEmpty();
    assertThat(small.device("a")).isPresent();
    assertThat(small.record("b", OptionalLong.of(9), Optional.empty(), NOW))
        .as("a forgotten device starts afresh")
        .isEqualTo(FIRST);
  }

  @Test
  void concurrentUpdatesLoseNothing() throws Exception {
    SeqTracker shared = new SeqTracker(1024, 100);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int thread = 0; thread < 4; thread++) {
        String device = "dev-" + (thread % 2);
        long offset = thread < 2 ? 0 : 1;
        done.add(
            pool.submit(
                () -> {
                  // From 2 on: a thread that starts late with 0 or 1 would rightly look like a
                  // device restart (a drop to 0/1 far below the highest), which is not under test.
                  for (long seq = offset + 2; seq < 20_002; seq += 2) {
                    shared.record(device, OptionalLong.of(seq), Optional.empty(), NOW);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    for (String device : List.of("dev-0", "dev-1")) {
      DeviceSequence d = shared.device(device).orElseThrow();
      assertThat(d.messages()).isEqualTo(20_000);
      assertThat(d.highestSeq()).hasValue(20_001);
      assertThat(d.duplicates()).as("every number came once").isZero();
    }
  }

  @Test
  void theWindowMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new SeqTracker(100, 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SeqTracker(64, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
