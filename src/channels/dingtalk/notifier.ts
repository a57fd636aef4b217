import type { DingtalkChannelConfig } from './config';
import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import type { DeliveryError } from '../classify-response';
import { signedQuery } from './sign';
import { PermanentDeliveryError, RateLimitedError, RetryableDeliveryError, type FailureReason } from '../delivery-errors';
import { fitUtf8Bytes, utf8Bytes } from '../fit-bytes';
import { queryParamRedactor, secretRedactor } from '../../secrets/redact';
import { joinUrl } from '../provider-http';
import { postToRobot, queryParam, type RobotAnswer } from '../robot-webhook';
import { dingtalkAt } from './mentions';

// errcodes of the custom robot (docs/providers.md §3.5). The errmsg wording changed three times, so
// decide on errcode only and pass errmsg on for the operator.
export const DINGTALK_ERRCODE = { ok: 0, systemBusy: -1, sendTooFast: 130101, sendTooFastNew: 410100, securityCheckFailed: 310000 } as const;
// Credentials and robot state: the operator has to change the config or the robot.
const AUTH_ERRCODES = new Set([
  310000, // keyword, sign, timestamp or IP allowlist
  300005, // token is not exist (older tables: 300001, 400101)
  300001,
  400101,
  400102, // robot disabled
  400106, // robot does not exist
  400013, // group dissolved
]);

// 460101 "message too long, exceed 20000 bytes" (§3.4) does not say whether the title and the
// JSON around the text count: give the text 18000 bytes and the title at most 1000.
export const DINGTALK_MAX_TEXT_BYTES = 18_000;
const MAX_TITLE_BYTES = 1000;

export interface DingtalkChannelOptions {
  /** Clock for the signature's timestamp (ms); injectable so tests can check the exact sign. */
  now?: () => number;
}

/** Sends to one DingTalk custom robot (钉钉自定义机器人) through its webhook. */
export function createDingtalkChannel(name: string, config: DingtalkChannelConfig, options: DingtalkChannelOptions = {}): Channel {
  const now = options.now ?? Date.now;
  const base = baseUrl(config);
  const hideSecrets = secretRedactor(dingtalkSecrets(config));
  const hideParams = queryParamRedactor(['access_token', 'sign']);
  const redact = (text: string) => hideParams(hideSecrets(text));
  // Signed per request, a retry included: a reused timestamp goes stale after an hour (§3.3).
  const url = () => (config.secret ? `${base}${base.includes('?') ? '&' : '?'}${signedQuery(config.secret, now())}` : base);

  return {
    name,
    type: 'dingtalk',
    preview: (message) => ({ method: 'POST', url: redact(url()), body: dingtalkRequestBody(config, message) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      const body = dingtalkRequestBody(config, message);
      const answer = await postToRobot({ provider: 'DingTalk', url: url(), body, signal, redact });
      if (answer.errcode === DINGTALK_ERRCODE.ok) return {};
      throw failure(answer, config.throttlePause, redact);
    },
  };
}

/** The access token (alone or inside webhookUrl) and the signing secret. */
export function dingtalkSecrets(config: DingtalkChannelConfig): string[] {
  return [config.accessToken, queryParam(config.webhookUrl, 'access_token'), config.secret].filter((s): s is string => Boolean(s));
}

export function dingtalkRequestBody(config: DingtalkChannelConfig, message: RenderedMessage): Record<string, unknown> {
  const at = dingtalkAt(config, message.mentions);
  // A mention notifies (and is highlighted) only when the text also holds "@mobile" / "@userId" (§3.2).
  const mentions = [...at.atMobiles, ...at.atUserIds].map((m) => `@${m}`).join(' ');
  const suffix = mentions ? `\n\n${mentions}` : '';
  const text = fitWithKeyword(message.text, config.keyword, DINGTALK_MAX_TEXT_BYTES - utf8Bytes(suffix), '\n\n') + suffix;
  if (config.msgType === 'text') return { msgtype: 'text', text: { content: text }, at };
  const title = fitWithKeyword(message.title, config.keyword, MAX_TITLE_BYTES, ' ');
  return { msgtype: 'markdown', markdown: { title, text }, at };
}

/**
 * A robot secured by keyword drops every message without one (errcode 310000), and which
 * fields it scans is not documented (§3.3): the keyword goes first when the text lacks it,
 * also when the cut would remove the only occurrence.
 */
function fitWithKeyword(text: string, keyword: string | undefined, maxBytes: number, separator: string): string {
  const fitted = fitUtf8Bytes(text, maxBytes);
  if (!keyword || fitted.includes(keyword)) return fitted;
  return fitUtf8Bytes(`${keyword}${separator}${text}`, maxBytes);
}

function baseUrl(config: DingtalkChannelConfig): string {
  if (!config.webhookUrl) return `${joinUrl(config.apiUrl, '/robot/send')}?access_token=${encodeURIComponent(config.accessToken ?? '')}`;
  // A URL copied from a test request may hold an old signature; ours is appended per request.
  const url = new URL(config.webhookUrl);
  url.searchParams.delete('timestamp');
  url.searchParams.delete('sign');
  return url.toString();
}

function failure(answer: RobotAnswer, throttlePauseMs: number, redact: (s: string) => string): DeliveryError {
  const text = `DingTalk errcode ${answer.errcode}: ${redact(answer.errmsg || 'no errmsg')}`;
  switch (answer.errcode) {
    case DINGTALK_ERRCODE.sendTooFast:
    case DINGTALK_ERRCODE.sendTooFastNew:
      // More than 20 in a minute throttles the robot for about 10 minutes, and every attempt
      // during the penalty fails too: pause the whole channel instead of a short backoff (§3.4).
      return new RateLimitedError(throttlePauseMs, text);
    case DINGTALK_ERRCODE.systemBusy:
      return new RetryableDeliveryError('serverError', text);
    default: {
      // 40035, 43004, 43002, 400105, 460101, 430101-430104 (moderation) and unknown codes fail
      // again as they are; the security and robot codes need the operator.
      const reason: FailureReason = AUTH_ERRCODES.has(answer.errcode) ? 'authError' : 'clientError';
      return new PermanentDeliveryError(reason, text);
    }
  }
}
