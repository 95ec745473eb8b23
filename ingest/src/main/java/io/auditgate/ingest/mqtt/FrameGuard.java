package io.auditgate.ingest.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * The first MQTT handler: cuts the byte stream into whole packets by their fixed header, before
 * Netty's {@code MqttDecoder} sees them, so that memory per connection stays bounded whatever a
 * client sends.
 *
 * <ul>
 *   <li>A packet whose fixed header announces more than the maximum packet size is never buffered:
 *       the guard fires {@link Oversized} and discards the rest of the stream.
 *   <li>Each whole packet goes to the decoder alone. A packet whose inner lengths point past its
 *       end would otherwise make the decoder wait for (and buffer) bytes up to a 268MB property
 *       length; the guard notices that the decoder produced no message for a whole packet, fires
 *       {@link Undecodable} and discards the rest.
 *   <li>The first packet must be a CONNECT [MQTT-3.1.0-1]; anything else (an HTTP request, a TLS
 *       handshake on the plaintext port, noise) is refused from its first byte with {@link
 *       NotConnect}, without waiting for the length it seems to announce.
 * </ul>
 *
 * <p>Wire format of the fixed header (both versions, section 2.2): byte 1 is the packet type (high
 * nibble) and flags (low nibble); then the remaining length as a variable byte integer of one to
 * four bytes, seven bits each, least significant first, bit 8 set on every byte but the last.
 */
final class FrameGuard extends ByteToMessageDecoder {

  /** Fired instead of a packet larger than the limit. */
  record Oversized(long packetBytes) {}

  /** Fired when a packet could not be framed or decoded into exactly one message. */
  record Undecodable(String why) {}

  /** Fired when the first byte of a connection is not that of a CONNECT. */
  record NotConnect(int firstByte) {}

  /** Fixed header byte 1 of CONNECT: type 1, flags 0. */
  private static final int CONNECT = 0x10;

  private final int maxPacketBytes;
  private final MetricsRecorder metrics;
  private boolean discarding;
  private long packetsPassed;
  private long messagesDecoded;

  FrameGuard(int maxPacketBytes, MetricsRecorder metrics) {
    this.maxPacketBytes = maxPacketBytes;
    this.metrics = metrics;
  }

  /** The handler to place right after the decoder: it counts the messages the decoder produced. */
  ChannelInboundHandlerAdapter decodedCounter() {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        messagesDecoded++;
        ctx.fireChannelRead(msg);
      }
    };
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf bytes) {
      metrics.bytesIn(bytes.readableBytes());
    }
    // Every packet framed during this read has been decoded synchronously when super returns.
    super.channelRead(ctx, msg);
    if (!discarding && messagesDecoded != packetsPassed) {
      discard(ctx, new Undecodable("a packet's contents do not match its remaining length"));
    }
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (discarding) {
      in.skipBytes(in.readableBytes());
      return;
    }
    int start = in.readerIndex();
    if (packetsPassed == 0 && in.getUnsignedByte(start) != CONNECT) {
      discard(ctx, new NotConnect(in.getUnsignedByte(start)));
      in.skipBytes(in.readableBytes());
      return;
    }
    long remaining = 0;
    int lengthBytes = 0;
    boolean more = true;
    while (more) {
      if (lengthBytes == 4) {
        discard(ctx, new Undecodable("remaining length longer than four bytes"));
        in.skipBytes(in.readableBytes());
        return;
      }
      if (in.readableBytes() < 2 + lengthBytes) {
        return; // the fixed header is not complete yet
      }
      int digit = in.getUnsignedByte(start + 1 + lengthBytes);
      remaining |= (long) (digit & 0x7F) << (7 * lengthBytes);
      more = (digit & 0x80) != 0;
      lengthBytes++;
    }
    long packetBytes = 1 + lengthBytes + remaining;
    if (packetBytes > maxPacketBytes) {
      discard(ctx, new Oversized(packetBytes));
      in.skipBytes(in.readableBytes());
      return;
    }
    if (in.readableBytes() < packetBytes) {
      return;
    }
    packetsPassed++;
    out.add(in.readRetainedSlice((int) packetBytes));
  }

  private void discard(ChannelHandlerContext ctx, Object event) {
    discarding = true;
    ctx.fireUserEventTriggered(event);
  }
}
