package io.auditgate.ingest.mqtt;

import io.netty.channel.ChannelConfig;
import java.util.EnumSet;
import java.util.Set;

/**
 * Whether a connection's socket is read. Reading pauses while any reason holds and resumes when
 * none does; a paused socket pushes back on the client through TCP. While paused, Netty's
 * FlowControlHandler holds what the last read already decoded (at most one read's worth).
 *
 * <p>Confined to the connection's event loop.
 */
final class ReadGate {

  /** Why a connection is not read. */
  enum Reason {
    /** As many publishes wait for the ingest as the connection may have in flight. */
    WINDOW_FULL,
    /** The ingest answered busy; reading waits until it accepts again. */
    BUSY,
    /** The client does not read what the gateway writes. */
    UNWRITABLE
  }

  private final ChannelConfig config;
  private final Set<Reason> reasons = EnumSet.noneOf(Reason.class);
  private boolean pausedSinceAsked;

  ReadGate(ChannelConfig config) {
    this.config = config;
  }

  void pause(Reason reason) {
    pausedSinceAsked = true;
    if (reasons.add(reason) && reasons.size() == 1) {
      config.setAutoRead(false);
    }
  }

  void resume(Reason reason) {
    if (reasons.remove(reason) && reasons.isEmpty()) {
      config.setAutoRead(true);
    }
  }

  boolean isPaused(Reason reason) {
    return reasons.contains(reason);
  }

  /**
   * Whether reading was paused at any time since the previous call. The keep-alive check asks: a
   * client that sent nothing while the gateway was not reading is not a dead peer.
   */
  boolean pausedSinceAsked() {
    boolean was = pausedSinceAsked || !reasons.isEmpty();
    pausedSinceAsked = !reasons.isEmpty();
    return was;
  }
}
