package io.auditgate.wal.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditgate.core.wal.WalRecord;
import io.auditgate.wal.ChannelOpener;
import io.auditgate.wal.internal.FrameCodec.Decoded;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.CRC32C;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.ByteRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins the on-disk formats byte for byte. A change to any of these fixtures is a change to the file
 * format: existing logs would no longer open, so it needs a version bump, not a test edit.
 */
class FrameCodecTest {
  private static final HexFormat HEX = HexFormat.of();

  private static final byte TYPE = 1;
  private static final long OFFSET = 7;
  private static final long TIMESTAMP = 0x0102030405060708L;
  private static final byte[] BODY = "hi".getBytes(StandardCharsets.US_ASCII);

  /** The frame bytes that the crc covers: bytes 0..3 and 8..end, everything but the crc. */
  private static final String COVERED_HEAD = "00000002"; // byte  0..3   length = 2

  private static final String COVERED_TAIL =
      "01" //                                              byte  8      type = 1
          + "0000000000000007" //                          byte  9..16  offset = 7
          + "0102030405060708" //                          byte 17..24  timestamp
          + "6869"; //                                     byte 25..26  body "hi"

  /** CRC32C over the documented ranges, computed here without the codec. */
  private static final String CRC = crc32c(COVERED_HEAD + COVERED_TAIL);

  private static final String FRAME =
      "00000002" //                                        byte  0..3   length = 2
          + CRC //                                         byte  4..7   crc32c
          + "01" //                                        byte  8      type = 1
          + "0000000000000007" //                          byte  9..16  offset = 7
          + "0102030405060708" //                          byte 17..24  timestamp millis
          + "6869"; //                                     byte 25..26  body "hi"

  @TempDir Path dir;

  @Test
  void crcOfTheFixtureIsTheKnownCrc32cValue() {
    // Computed once from the fixture; pins that the algorithm is CRC32C (Castagnoli), not CRC32.
    assertThat(CRC).isEqualTo("cab2b0c9");
  }

  @Test
  void encodesAKnownRecordToTheDocumentedBytes() {
    ByteBuffer out = ByteBuffer.allocate(64);
    out.put((byte) 0x55); // the frame need not start at position 0

    FrameCodec.encode(out, TYPE, OFFSET, TIMESTAMP, BODY);

    assertThat(out.position()).isEqualTo(1 + 27);
    assertThat(FrameCodec.frameBytes(BODY.length)).isEqualTo(27);
    byte[] written = Arrays.copyOfRange(out.array(), 1, out.position());
    assertThat(HEX.formatHex(written)).isEqualTo(FRAME);
    assertThat(out.get(0)).isEqualTo((byte) 0x55);
  }

  @Test
  void decodesTheFixture() {
    Decoded decoded = decode(HEX.parseHex(FRAME), OFFSET);

    assertThat(decoded)
        .isEqualTo(new Decoded.Frame(new WalRecord(OFFSET, TYPE, TIMESTAMP, BODY), 27));
  }

  @Test
  void decodeDoesNotMoveTheBufferAndReadsAtItsPosition() {
    byte[] frame = HEX.parseHex(FRAME);
    ByteBuffer buf = ByteBuffer.allocate(frame.length + 3);
    buf.put(new byte[3]).put(frame).position(3);

    Decoded decoded = FrameCodec.decode(buf, frame.length, -1);

    assertThat(decoded).isInstanceOf(Decoded.Frame.class);
    assertThat(buf.position()).isEqualTo(3);
  }

  @Test
  void anyExpectedOffsetIsAcceptedWithMinusOne() {
    assertThat(decode(HEX.parseHex(FRAME), -1)).isInstanceOf(Decoded.Frame.class);
  }

  @Test
  void anEmptyBodyIsAValidFrame() {
    ByteBuffer out = ByteBuffer.allocate(25);
    FrameCodec.encode(out, (byte) 127, 0, 0, new byte[0]);

    Decoded decoded = decode(out.array(), 0);

    assertThat(decoded)
        .isEqualTo(new Decoded.Frame(new WalRecord(0, (byte) 127, 0, new byte[0]), 25));
  }

  @Test
  void aCutHeaderIsTorn() {
    byte[] frame = HEX.parseHex(FRAME);
    for (int cut = 0; cut < FrameCodec.HEADER_BYTES; cut++) {
      Decoded decoded = decode(Arrays.copyOf(frame, cut), OFFSET);
      assertThat(decoded).as("header cut at %d bytes", cut).isInstanceOf(Decoded.Torn.class);
    }
  }

  @Test
  void aCutBodyIsTorn() {
    byte[] frame = HEX.parseHex(FRAME);

    Decoded decoded = decode(Arrays.copyOf(frame, 26), OFFSET);

    assertThat(decoded).isEqualTo(new Decoded.Torn("only 1 of 2 body bytes"));
  }

  @Test
  void aFlippedBodyByteIsACrcMismatch() {
    byte[] frame = HEX.parseHex(FRAME);
    frame[26] ^= 0x01;

    assertThat(decode(frame, OFFSET)).isEqualTo(new Decoded.Corrupt("crc mismatch"));
  }

  @Test
  void aFlippedCrcIsACrcMismatch() {
    byte[] frame = HEX.parseHex(FRAME);
    frame[5] ^= (byte) 0x80;

    assertThat(decode(frame, OFFSET)).isEqualTo(new Decoded.Corrupt("crc mismatch"));
  }

  @Test
  void aFlippedTimestampIsCaughtBecauseTheCrcCoversIt() {
    byte[] frame = HEX.parseHex(FRAME);
    frame[24] ^= 0x01;

    assertThat(decode(frame, OFFSET)).isEqualTo(new Decoded.Corrupt("crc mismatch"));
  }

  @Test
  void anImpossibleLengthIsCorruptNotTorn() {
    byte[] negative = HEX.parseHex(FRAME);
    negative[0] = (byte) 0x80;
    byte[] tooLarge = HEX.parseHex(FRAME);
    ByteBuffer.wrap(tooLarge).putInt(0, FrameCodec.MAX_BODY_BYTES + 1);

    assertThat(decode(negative, OFFSET)).isInstanceOf(Decoded.Corrupt.class);
    assertThat(((Decoded.Corrupt) decode(negative, OFFSET)).why()).contains("impossible");
    assertThat(decode(tooLarge, OFFSET)).isInstanceOf(Decoded.Corrupt.class);
  }

  @Test
  void aLengthLongerThanTheFileIsTorn() {
    byte[] frame = HEX.parseHex(FRAME);
    frame[3] = 100;

    assertThat(decode(frame, OFFSET)).isInstanceOf(Decoded.Torn.class);
  }

  @Test
  void theWrongOffsetIsCorrupt() {
    Decoded decoded = decode(HEX.parseHex(FRAME), OFFSET + 1);

    assertThat(decoded).isEqualTo(new Decoded.Corrupt("offset 7 where 8 was expected"));
  }

  @Test
  void typeZeroIsCorruptEvenWithAValidCrc() {
    ByteBuffer out = ByteBuffer.allocate(27);
    FrameCodec.encode(out, (byte) 0, OFFSET, TIMESTAMP, BODY);

    assertThat(decode(out.array(), OFFSET)).isEqualTo(new Decoded.Corrupt("invalid type 0"));
  }

  @Test
  void aNegativeTypeIsCorruptEvenWithAValidCrc() {
    ByteBuffer out = ByteBuffer.allocate(27);
    FrameCodec.encode(out, (byte) -1, OFFSET, TIMESTAMP, BODY);

    assertThat(decode(out.array(), OFFSET)).isInstanceOf(Decoded.Corrupt.class);
  }

  @Test
  void aZeroFilledRegionIsCorrupt() {
    // What a file system may leave after a crash: the size grew but the data never arrived.
    assertThat(decode(new byte[4096], 0)).isInstanceOf(Decoded.Corrupt.class);
    assertThat(decode(new byte[4096], -1)).isInstanceOf(Decoded.Corrupt.class);
  }

  @Test
  void needsAsksForTheHeaderThenTheWholeFrame() {
    byte[] frame = HEX.parseHex(FRAME);

    assertThat(FrameCodec.needs(ByteBuffer.wrap(frame, 0, 10), 1000)).isEqualTo(25);
    assertThat(FrameCodec.needs(ByteBuffer.wrap(frame, 0, 10), 12)).isEqualTo(12);
    assertThat(FrameCodec.needs(ByteBuffer.wrap(frame), 1000)).isEqualTo(27);
    assertThat(FrameCodec.needs(ByteBuffer.wrap(frame), 26)).isEqualTo(26);
  }

  @Property(tries = 200)
  void roundTripsAnyRecord(
      @ForAll @ByteRange(min = 1) byte type,
      @ForAll @LongRange(min = 0) long offset,
      @ForAll long timestamp,
      @ForAll @Size(max = 300) byte[] body) {
    ByteBuffer out = ByteBuffer.allocate(FrameCodec.frameBytes(body.length));
    FrameCodec.encode(out, type, offset, timestamp, body);
    assertThat(out.hasRemaining()).isFalse();

    Decoded decoded = decode(out.array(), offset);

    assertThat(decoded)
        .isEqualTo(
            new Decoded.Frame(
                new WalRecord(offset, type, timestamp, body), FrameCodec.frameBytes(body.length)));
  }

  @Property(tries = 300)
  void neverAcceptsAFrameWithAnyByteChanged(
      @ForAll("bodies") byte[] body,
      @ForAll @IntRange(min = 0, max = 10_000) int where,
      @ForAll @IntRange(min = 1, max = 255) int xor) {
    ByteBuffer out = ByteBuffer.allocate(FrameCodec.frameBytes(body.length));
    FrameCodec.encode(out, TYPE, 42, TIMESTAMP, body);
    byte[] frame = out.array();
    int at = where % frame.length;
    frame[at] ^= (byte) xor;

    assertThat(decode(frame, 42)).isNotInstanceOf(Decoded.Frame.class);
    assertThat(decode(frame, -1)).isNotInstanceOf(Decoded.Frame.class);
  }

  @Provide
  Arbitrary<byte[]> bodies() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
  }

  // ------------------------------------------------------------------------- segment header

  @Test
  void segmentHeaderHasTheDocumentedBytes() {
    ByteBuffer header = Segment.header(0x0102030405060708L);

    byte[] bytes = new byte[header.remaining()];
    header.get(bytes);
    assertThat(HEX.formatHex(bytes))
        .isEqualTo(
            "4147574c" //                                  byte 0..3   magic "AGWL"
                + "01" //                                  byte 4      version 1
                + "000000" //                              byte 5..7   reserved
                + "0102030405060708"); //                  byte 8..15  base offset
    assertThat(Segment.HEADER_BYTES).isEqualTo(16);
  }

  @Test
  void segmentFileIsNamedByItsBaseOffsetAndStartsWithItsHeader() throws Exception {
    Segment segment = Segment.create(dir, 42, ChannelOpener.DEFAULT, 1234);

    assertThat(segment.name()).isEqualTo("00000000000000000042.seg");
    assertThat(segment.sizeBytes()).isEqualTo(16);
    assertThat(segment.lastWriteMillis()).isEqualTo(1234);
    assertThat(HEX.formatHex(Files.readAllBytes(segment.path())))
        .isEqualTo("4147574c" + "01" + "000000" + "000000000000002a");
    try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
      assertThat(segment.hasValidHeader(channel)).isTrue();
      assertThat(new Segment(segment.path(), 43, 16, 0).hasValidHeader(channel)).isFalse();
    }
  }

  @Test
  void segmentNamesParseBackAndOtherFilesAreIgnored() {
    assertThat(Segment.parseBase(Path.of("00000000000000000042.seg"))).contains(42L);
    assertThat(Segment.parseBase(Path.of("x/09223372036854775807.seg"))).contains(Long.MAX_VALUE);
    assertThat(Segment.parseBase(Path.of("42.seg"))).isEmpty();
    assertThat(Segment.parseBase(Path.of("00000000000000000042.seg.tmp"))).isEmpty();
    assertThat(Segment.parseBase(Path.of("0000000000000000004x.seg"))).isEmpty();
    assertThat(Segment.parseBase(Path.of("CLEAN"))).isEmpty();
  }

  @Test
  void segmentHeaderWithWrongMagicOrVersionIsInvalid() throws Exception {
    Segment segment = Segment.create(dir, 0, ChannelOpener.DEFAULT, 0);
    byte[] bytes = Files.readAllBytes(segment.path());

    bytes[4] = 2; // version 2
    Files.write(segment.path(), bytes);
    try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
      assertThat(segment.hasValidHeader(channel)).isFalse();
    }
    bytes[4] = 1;
    bytes[0] = 'X';
    Files.write(segment.path(), bytes);
    try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
      assertThat(segment.hasValidHeader(channel)).isFalse();
    }
    Files.write(segment.path(), Arrays.copyOf(bytes, 5));
    try (FileChannel channel = FileChannel.open(segment.path(), StandardOpenOption.READ)) {
      assertThat(segment.hasValidHeader(channel)).isFalse();
    }
  }

  // ------------------------------------------------------------------------- cursor file

  @Test
  void cursorFileHasTheDocumentedBytes() throws Exception {
    CursorFile.store(dir, "kafka", 0x0102030405060708L, ChannelOpener.DEFAULT);

    String covered =
        "41474352" //                                      byte 0..3    magic "AGCR"
            + "01" //                                      byte 4       version 1
            + "000000" //                                  byte 5..7    reserved
            + "0102030405060708"; //                       byte 8..15   acked offset
    String expected = covered + crc32c(covered); //        byte 16..19  CRC32C of bytes 0..15
    assertThat(crc32c(covered)).isEqualTo("682e53e6");
    Path file = dir.resolve("kafka.cursor");
    assertThat(HEX.formatHex(Files.readAllBytes(file))).isEqualTo(expected);
    assertThat(dir.resolve("kafka.cursor.tmp")).doesNotExist();
    assertThat(CursorFile.path(dir, "kafka")).isEqualTo(file);
  }

  @Test
  void cursorFileLoadsWhatWasStoredAndReplacesIt() throws Exception {
    CursorFile.store(dir, "s3", 10, ChannelOpener.DEFAULT);
    CursorFile.store(dir, "s3", 11, ChannelOpener.DEFAULT);

    assertThat(CursorFile.load(dir.resolve("s3.cursor"))).contains(11L);
  }

  @Test
  void cursorFileThatIsMissingShortOrGarbledLoadsAsEmpty() throws Exception {
    Path file = dir.resolve("a.cursor");
    assertThat(CursorFile.load(file)).isEmpty();

    CursorFile.store(dir, "a", 5, ChannelOpener.DEFAULT);
    byte[] good = Files.readAllBytes(file);

    Files.write(file, Arrays.copyOf(good, 19));
    assertThat(CursorFile.load(file)).isEmpty();

    byte[] flippedOffset = good.clone();
    flippedOffset[15] ^= 0x01;
    Files.write(file, flippedOffset);
    assertThat(CursorFile.load(file)).isEmpty();

    byte[] wrongMagic = good.clone();
    wrongMagic[0] = 'X';
    Files.write(file, wrongMagic);
    assertThat(CursorFile.load(file)).isEmpty();

    Files.write(file, new byte[20]);
    assertThat(CursorFile.load(file)).isEmpty();

    Files.write(file, good);
    assertThat(CursorFile.load(file)).isEqualTo(Optional.of(5L));
  }

  // ------------------------------------------------------------------------- helpers

  private static Decoded decode(byte[] bytes, long expectedOffset) {
    return FrameCodec.decode(ByteBuffer.wrap(bytes), bytes.length, expectedOffset);
  }

  private static String crc32c(String hex) {
    CRC32C crc = new CRC32C();
    crc.update(HEX.parseHex(hex));
    return String.format("%08x", crc.getValue());
  }
}
