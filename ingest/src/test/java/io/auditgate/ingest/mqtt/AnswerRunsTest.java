package io.auditgate.ingest.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AnswerRunsTest {
  /** An event loop that runs its tasks only when the test says so. */
  private static final class ManualLoop implements Executor {
    final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
      tasks.add(task);
    }

    void runAll() {
      for (Runnable task; (task = tasks.poll()) != null; ) {
        task.run();
      }
    }
  }

  private final ManualLoop loop = new ManualLoop();
  private final List<String> seen = new ArrayList<>();
  private final AnswerRuns<Integer> runs =
      new AnswerRuns<>(loop, answer -> seen.add("answer " + answer), () -> seen.add("end"));

  @Test
  void answersOfferedBeforeTheLoopGetsToThemShareOneTaskAndOneEnd() {
    for (int i = 1; i <= 5; i++) {
      runs.offer(i);
    }

    assertThat(loop.tasks).hasSize(1);
    loop.runAll();
    assertThat(seen)
        .containsExactly("answer 1", "answer 2", "answer 3", "answer 4", "answer 5", "end");
  }

  @Test
  void anAnswerAfterARunStartsTheNextRun() {
    runs.offer(1);
    loop.runAll();
    runs.offer(2);

    assertThat(loop.tasks).hasSize(1);
    loop.runAll();
    assertThat(seen).containsExactly("answer 1", "end", "answer 2", "end");
  }

  @Test
  void aLoopThatRefusedATaskIsAskedAgainOnTheNextOffer() {
    List<Runnable> accepted = new ArrayList<>();
    boolean[] refusing = {true};
    AnswerRuns<Integer> closing =
        new AnswerRuns<>(
            task -> {
              if (refusing[0]) {
                throw new RejectedExecutionException("shutting down");
              }
              accepted.add(task);
            },
            answer -> seen.add("answer " + answer),
            () -> {});

    closing.offer(1);
    refusing[0] = false;
    closing.offer(2);

    assertThat(accepted).hasSize(1);
  }

  @Test
  void everyAnswerFromManyThreadsIsHandledExactlyOnceOnTheLoop() throws Exception {
    ExecutorService eventLoop = Executors.newSingleThreadExecutor();
    ExecutorService producers = Executors.newFixedThreadPool(4);
    List<Integer> handled = new ArrayList<>(); // touched by the event loop only
    CountDownLatch all = new CountDownLatch(4 * 10_000);
    AnswerRuns<Integer> concurrent =
        new AnswerRuns<>(
            eventLoop,
            answer -> {
              handled.add(answer);
              all.countDown();
            },
            () -> {});
    try {
      for (int p = 0; p < 4; p++) {
        int base = p * 10_000;
        producers.execute(
            () -> {
              for (int i = 0; i < 10_000; i++) {
                concurrent.offer(base + i);
              }
            });
      }
      assertThat(all.await(30, TimeUnit.SECONDS)).isTrue();
      List<Integer> copy = eventLoop.submit(() -> new ArrayList<>(handled)).get();
      assertThat(copy).hasSize(40_000).doesNotHaveDuplicates();
    } finally {
      producers.shutdownNow();
      eventLoop.shutdownNow();
    }
  }
}
