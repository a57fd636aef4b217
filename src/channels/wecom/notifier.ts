import type { WecomChannelConfig } from './config';
import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import type { DeliveryError } from '../classify-response';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError } from '../delivery-errors';
import { fitUtf8Bytes, utf8Bytes } from '../fit-bytes';
import { queryParamRedactor, secretRedactor } from '../../secrets/redact';
import { joinUrl } from '../provider-http';
import { postToRobot, queryParam, type RobotAnswer } from '../robot-webhook';
import { markdownMissed, wecomMentions } from './mentions';

// errcodes of the group robot (docs/providers.md §2.4). Decide on errcode only: errmsg carries a
// request id, the caller's IP and a help link, and its wording changes.
export const WECOM_ERRCODE = {
  ok: 0,
  systemBusy: -1,
  freqOutOfLimit: 45009,
  invalidWebhookUrl: 93000,
  invalidMessageType: 40008,
  emptyContent: 44004,
  contentTooLong: 40058,
  requirePost: 43002,
} as const;

// Content limits in UTF-8 bytes, not characters (§2.3).
export const WECOM_MAX_BYTES = { markdown: 4096, text: 2048 } as const;

/** Sends to one WeCom group robot (企业微信群机器人) through its webhook. */
export function createWecomChannel(name: string, config: WecomChannelConfig): Channel {
  const url = config.webhookUrl ?? `${joinUrl(config.apiUrl, '/cgi-bin/webhook/send')}?key=${encodeURIComponent(config.key ?? '')}`;
  const hideSecrets = secretRedactor(wecomSecrets(config));
  // The key is the robot's only credential: whoever holds the URL can post (§2.1).
  const hideKeys = queryParamRedactor(['key']);
  const redact = (text: string) => hideKeys(hideSecrets(text));

  return {
    name,
    type: 'wecom',
    preview: (message) => ({ method: 'POST', url: redact(url), body: wecomRequestBody(config, message) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      const body = wecomRequestBody(config, message);
      const answer = await postToRobot({ provider: 'WeCom', url, body, signal, redact });
      // errcode 0 with "ok. Warning: wrong json format." was still delivered (§2.4).
      if (answer.errcode !== WECOM_ERRCODE.ok) throw failure(answer, config.throttlePause, redact);
      const missed = config.msgType === 'markdown' ? markdownMissed(wecomMentions(config, message.mentions)) : undefined;
      return missed ? { warning: missed } : {};
    },
  };
}

/** The robot's key, given alone or inside webhookUrl: what logs and errors must never show. */
export function wecomSecrets(config: WecomChannelConfig): string[] {
  return [config.key, queryParam(config.webhookUrl, 'key')].filter((s): s is string => Boolean(s));
}

export function wecomRequestBody(config: WecomChannelConfig, message: RenderedMessage): Record<string, unknown> {
  const wanted = wecomMentions(config, message.mentions);
  if (config.msgType === 'text') {
    // "@all" in mentioned_list mentions everyone (§2.2).
    const mentionUserIds = [...wanted.userIds, ...(wanted.all ? ['@all'] : [])];
    const mentionMobiles = wanted.mobiles;
    return {
      msgtype: 'text',
      text: {
        content: fitUtf8Bytes(message.text, WECOM_MAX_BYTES.text),
        ...(mentionUserIds.length > 0 && { mentioned_list: mentionUserIds }),
        ...(mentionMobiles.length > 0 && { mentioned_mobile_list: mentionMobiles }),
      },
    };
  }
  // markdown mentions only by userid, written inline as <@userid>; it has no syntax for a
  // mobile number or everyone and ignores mentioned_mobile_list (§2.2), so those need msgType text.
  const mentions = wanted.userIds.map((id) => `<@${id}>`).join(' ');
  const suffix = mentions ? `\n${mentions}` : '';
  // The mentions count toward the 4096 bytes, and must survive the cut: fit the text around them.
  const content = fitUtf8Bytes(message.text, WECOM_MAX_BYTES.markdown - utf8Bytes(suffix)) + suffix;
  return { msgtype: 'markdown', markdown: { content } };
}

function failure(answer: RobotAnswer, throttlePauseMs: number, redact: (s: string) => string): DeliveryError {
  const text = `WeCom errcode ${answer.errcode}: ${redact(answer.errmsg || 'no errmsg')}`;
  switch (answer.errcode) {
    case WECOM_ERRCODE.freqOutOfLimit:
      // No retry-after is given: wait for the 20/min window to free up (§4.2).
      return new RateLimitedError(throttlePauseMs, text);
    case WECOM_ERRCODE.systemBusy:
      return new RetryableDeliveryError('serverError', text);
    case WECOM_ERRCODE.invalidWebhookUrl:
      // Wrong key, or the robot was removed from the group.
      return new PermanentDeliveryError('authError', text);
    default:
      // 40008, 44004, 40058, 43002 and codes we do not know: the same request fails again.
      return new PermanentDeliveryError('clientError', text);
  }
}
