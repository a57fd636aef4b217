import type { Cluster, Redis } from 'ioredis';
import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import { RetryableDeliveryError } from '../delivery-errors';
import { joinUrl } from '../provider-http';
import { queryParamRedactor, REDACTED, secretRedactor } from '../../secrets/redact';
import { fetchAccessToken, postMessage, type SendAnswer } from './api';
import type { WecomAppChannelConfig } from './config';
import { isTokenRejected, wecomAppFailure } from './errcodes';
import { wecomAppRequestBody } from './request-body';
import { createTokenCache } from './token-cache';

export interface WecomAppChannelOptions {
  /** Where the access_token is shared with every other worker and process. */
  redis: Redis | Cluster;
  /** The gateway's Redis key prefix. */
  prefix: string;
}

/** Sends WeCom application messages (企业微信应用消息) from one app to its configured recipients. */
export function createWecomAppChannel(name: string, config: WecomAppChannelConfig, options: WecomAppChannelOptions): Channel {
  const hideSecret = secretRedactor(wecomAppSecrets(config));
  // The access_token travels in the URL, and corpsecret in gettoken's: hide both wherever they show.
  const hideParams = queryParamRedactor(['access_token', 'corpsecret']);
  const redact = (text: string) => hideParams(hideSecret(text));
  const tokens = createTokenCache({
    ...options,
    corpId: config.corpId,
    corpSecret: config.corpSecret,
    fetch: (signal) => fetchAccessToken(config.apiUrl, config.corpId, config.corpSecret, config.throttlePause, { signal, redact }),
  });

  return {
    name,
    type: 'wecom-app',
    preview: (message) => ({
      method: 'POST',
      url: `${joinUrl(config.apiUrl, '/cgi-bin/message/send')}?access_token=${REDACTED}`,
      body: wecomAppRequestBody(config, message),
    }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      const body = wecomAppRequestBody(config, message);
      const sendWith = (token: string) => {
        const hideToken = secretRedactor([token]);
        return postMessage(config.apiUrl, token, body, { signal, redact: (text) => hideToken(redact(text)) });
      };
      const token = await tokens.get(signal);
      let answer = await sendWith(token);
      if (isTokenRejected(answer.errcode)) {
        // WeCom invalidated the token early (§7.1): one fresh token for everyone, one resend,
        // all inside this attempt, so a token change costs no retry.
        await tokens.invalidate(token);
        const fresh = await tokens.get(signal);
        answer = await sendWith(fresh);
        if (isTokenRejected(answer.errcode)) {
          throw new RetryableDeliveryError('authError', `WeCom app message/send errcode ${answer.errcode}: ${answer.errmsg || 'no errmsg'} (also with a freshly fetched access_token)`);
        }
      }
      if (answer.errcode !== 0) throw wecomAppFailure(answer, 'message/send', config.throttlePause);
      return receipt(answer);
    },
  };
}

/** corpSecret buys tokens for the app: what logs, errors and previews must never show. */
export function wecomAppSecrets(config: WecomAppChannelConfig): string[] {
  return [config.corpSecret];
}

/**
 * errcode 0 still delivers only to the recipients WeCom knows (§7.2): the skipped ones go into
 * the receipt's warning, which the worker logs, since a channel does not log.
 */
function receipt(answer: SendAnswer): SendReceipt {
  const skipped = (['invaliduser', 'invalidparty', 'invalidtag', 'unlicenseduser'] as const)
    .filter((field) => answer[field])
    .map((field) => `${field}=${answer[field]}`);
  return {
    ...(answer.msgid ? { providerMessageId: answer.msgid } : {}),
    ...(skipped.length > 0 ? { warning: `WeCom app skipped recipients: ${skipped.join(' ')}` } : {}),
  };
}
