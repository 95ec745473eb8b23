package io.auditgate.ingest.mqtt;

import io.auditgate.ingest.mqtt.DeviceTopics.FilterVerdict;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttProperties.MqttPropertyType;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE: a device may subscribe only at or below its own {@code
 * devices/{id}/commands}; every other filter gets a failure code in the SUBACK (MQTT 3.1.1 0x80,
 * MQTT 5 0x87) and counts as a violation. Commands are sent at QoS 0 or 1, so at most QoS 1 is
 * granted [MQTT-3.8.4-6].
 *
 * <p>Confined to the connection's event loop.
 */
final class SubscriptionRequests {
  private final ChannelHandlerContext ctx;
  private final MqttVersion version;
  private final String deviceId;
  private final Session session;
  private final ConnectionControl control;

  SubscriptionRequests(
      ChannelHandlerContext ctx,
      MqttVersion version,
      String deviceId,
      Session session,
      ConnectionControl control) {
    this.ctx = ctx;
    this.version = version;
    this.deviceId = deviceId;
    this.session = session;
    this.control = control;
  }

  void onSubscribe(MqttSubscribeMessage subscribe) {
    MqttMessageIdAndPropertiesVariableHeader header = subscribe.idAndPropertiesVariableHeader();
    List<MqttTopicSubscription> requested = subscribe.payload().topicSubscriptions();
    if (requested.isEmpty()) {
      control.close(CloseReason.PROTOCOL_ERROR); // [MQTT-3.8.3-3]
      return;
    }
    if (version == MqttVersion.MQTT_5
        && header.properties().getProperty(MqttPropertyType.SUBSCRIPTION_IDENTIFIER.value())
            != null) {
      control.close(CloseReason.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED);
      return;
    }
    List<Integer> codes = new ArrayList<>(requested.size());
    int violations = 0;
    for (MqttTopicSubscription subscription : requested) {
      String filter = subscription.topicName();
      FilterVerdict verdict = DeviceTopics.forSubscription(filter, deviceId);
      int granted = Math.min(subscription.qualityOfService().value(), 1);
      boolean withinQuota = verdict != FilterVerdict.ALLOWED || session.subscribe(filter, granted);
      codes.add(MqttReplies.subscriptionCode(version, verdict, granted, withinQuota) & 0xFF);
      if (verdict == FilterVerdict.NOT_AUTHORIZED) {
        violations++;
      }
    }
    ctx.writeAndFlush(MqttReplies.subAck(header.messageId(), codes));
    for (int i = 0; i < violations; i++) {
      control.violation();
    }
  }

  void onUnsubscribe(MqttUnsubscribeMessage unsubscribe) {
    List<String> filters = unsubscribe.payload().topics();
    if (filters.isEmpty()) {
      control.close(CloseReason.PROTOCOL_ERROR); // [MQTT-3.10.3-2]
      return;
    }
    List<Short> codes = new ArrayList<>(filters.size());
    int violations = 0;
    for (String filter : filters) {
      FilterVerdict verdict = DeviceTopics.forSubscription(filter, deviceId);
      boolean existed = verdict == FilterVerdict.ALLOWED && session.unsubscribe(filter);
      codes.add(MqttReplies.unsubscriptionCode(verdict, existed));
      if (verdict == FilterVerdict.NOT_AUTHORIZED) {
        violations++;
      }
    }
    ctx.writeAndFlush(MqttReplies.unsubAck(unsubscribe.variableHeader().messageId(), codes));
    for (int i = 0; i < violations; i++) {
      control.violation();
    }
  }
}
