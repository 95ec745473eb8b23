package io.auditgate.ingest.tls;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Netty TLS server on a loopback port: it records how each handshake ended (as the listener
 * would see it) and, on success, writes one byte so the client knows the server accepted it too —
 * in TLS 1.3 a client finishes its side before the server has judged the client certificate.
 */
final class TlsTestServer implements AutoCloseable {
  static final int ACCEPTED = 'k';

  /** How one handshake ended on the server side. */
  record Handshake(
      boolean succeeded, List<X509Certificate> peer, String protocol, Throwable cause) {}

  private final EventLoopGroup group = new NioEventLoopGroup(1);
  private final BlockingQueue<Handshake> handshakes = new LinkedBlockingQueue<>();
  private final Channel channel;

  TlsTestServer(SslContext context) {
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    SslHandler ssl = context.newHandler(ch.alloc());
                    ch.pipeline().addLast(ssl, new Discard());
                    ssl.handshakeFuture()
                        .addListener(
                            done -> {
                              if (done.isSuccess()) {
                                handshakes.add(
                                    new Handshake(
                                        true,
                                        PeerCertificates.of(ssl.engine().getSession()),
                                        ssl.engine().getSession().getProtocol(),
                                        null));
                                ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {ACCEPTED}));
                              } else {
                                handshakes.add(new Handshake(false, List.of(), null, done.cause()));
                                ch.close();
                              }
                            });
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /** The next handshake's outcome; fails the test if none ends within five seconds. */
  Handshake nextHandshake() throws InterruptedException {
    Handshake handshake = handshakes.poll(5, TimeUnit.SECONDS);
    if (handshake == null) {
      throw new AssertionError("no handshake ended within 5 s");
    }
    return handshake;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Discard extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      io.netty.util.ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // The handshake listener has recorded it; a failed handshake also surfaces here.
      ctx.close();
    }
  }
}
