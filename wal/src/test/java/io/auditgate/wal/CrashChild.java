package io.auditgate.wal;

import io.auditgate.core.config.DataSize;
import io.auditgate.core.config.WalConfig;
import io.auditgate.core.wal.AppendOutcome;
import io.auditgate.core.wal.RecordTypes;
import io.auditgate.core.wal.WalListener;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The process {@link KillDashNineTest} kills: opens the log in a directory and appends from several
 * threads as fast as the log acknowledges, never closing it. Only after an append's future
 * completes does it write {@code run offset sha256(body)} as one line to the side-channel file, so
 * every line is a record the log promised to keep.
 *
 * <p>Arguments: log directory, side-channel file, run number, producer threads.
 */
public final class CrashChild {
  /** Small segments, so that kills also land in rolls. */
  static final WalConfig CONFIG =
      new WalConfig(
          DataSize.ofKibibytes(64), DataSize.ofKibibytes(4), null, null, null, null, null);

  private CrashChild() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Path sideChannel = Path.of(args[1]);
    int run = Integer.parseInt(args[2]);
    int threads = Integer.parseInt(args[3]);
    Thread watchdog =
        new Thread(
            () -> {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                return;
              }
              // The parent is gone without killing us: do not linger as an orphan.
              Runtime.getRuntime().halt(3);
            });
    watchdog.setDaemon(true);
    watchdog.start();

    SegmentedWal wal = SegmentedWal.open(dir, CONFIG, Clock.systemUTC(), WalListener.NONE);
    System.out.println("opened: " + wal.recoveryReport());
    OutputStream acks = new FileOutputStream(sideChannel.toFile(), true);
    for (int t = 0; t < threads; t++) {
      int producer = t;
      Thread thread = new Thread(() -> produce(wal, acks, run, producer), "producer-" + t);
      thread.start();
    }
    Thread.currentThread().join(); // until killed
  }

  private static void produce(SegmentedWal wal, OutputStream acks, int run, int producer) {
    try {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (long seq = 0; ; seq++) {
        byte[] head =
            ("r" + run + "-p" + producer + "-s" + seq + ":").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + random.nextInt(2001)];
        random.nextBytes(body);
        System.arraycopy(head, 0, body, 0, head.length);
        AppendOutcome outcome = wal.append(RecordTypes.TELEMETRY, body);
        if (!(outcome instanceof AppendOutcome.Accepted accepted)) {
          throw new IllegalStateException("append refused: " + outcome);
        }
        long offset = accepted.durable().get();
        byte[] line =
            (run + " " + offset + " " + sha256(body) + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (acks) {
          acks.write(line); // one write(2) per line, so a kill never interleaves two lines
          acks.flush();
        }
      }
    } catch (Throwable e) {
      e.printStackTrace();
      Runtime.getRuntime().halt(2);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
