package io.auditgate.bench.jmh;

import io.auditgate.wal.internal.FrameCodec;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What framing one record costs the WAL's writer thread: encoding a frame (header + CRC32C + body
 * copy) into a direct buffer, next to the checksums alone. Run with {@code java -cp ...
 * org.openjdk.jmh.Main FrameCodecBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
  @Param({"256", "1024"})
  public int bodyBytes;

  private byte[] body;
  private ByteBuffer direct;
  private long offset;

  @Setup
  public void setUp() {
    body = new byte[bodyBytes];
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) random.nextInt(256);
    }
    direct = ByteBuffer.allocateDirect(64 * 1024);
  }

  /** The WAL's per-record work: one frame encoded into the writer's direct buffer. */
  @Benchmark
  public int encodeFrame() {
    direct.clear();
    FrameCodec.encode(direct, (byte) 1, offset++, 1_700_000_000_000L, body);
    return direct.position();
  }

  @Benchmark
  public long crc32() {
    CRC32 crc = new CRC32();
    crc.update(body);
    return crc.getValue();
  }

  @Benchmark
  public long crc32c() {
    CRC32C crc = new CRC32C();
    crc.update(body);
    return crc.getValue();
  }
}
