import type { FeishuChannelConfig } from './config';
import type { Channel, RenderedMessage, SendReceipt } from '../channel';
import { HOOK_PATH } from './config';
import { feishuFailure, FEISHU_CODE, postToFeishu } from './answer';
import { feishuRequestBody } from './request-body';
import { redactHookPaths } from './redact-hook';
import { joinUrl } from '../provider-http';
import { REDACTED, secretRedactor } from '../../secrets/redact';

export interface FeishuChannelOptions {
  /** Clock for the signature's timestamp (ms); injectable so tests can check the exact sign. */
  now?: () => number;
}

/** Sends to one Feishu / Lark custom bot (飞书自定义机器人) through its webhook. */
export function createFeishuChannel(name: string, config: FeishuChannelConfig, options: FeishuChannelOptions = {}): Channel {
  const now = options.now ?? Date.now;
  const url = config.webhookUrl ?? joinUrl(config.apiUrl, `${HOOK_PATH}${encodeURIComponent(config.token ?? '')}`);
  const hideSecrets = secretRedactor(feishuSecrets(config));
  const redact = (text: string) => redactHookPaths(hideSecrets(text));

  return {
    name,
    type: 'feishu',
    preview: (message) => ({ method: 'POST', url: redact(url), body: maskSign(feishuRequestBody(config, message, now())) }),
    async send(message: RenderedMessage, signal: AbortSignal): Promise<SendReceipt> {
      // Signed per attempt, a retry included (docs/providers.md §6.3).
      const answer = await postToFeishu({ url, body: feishuRequestBody(config, message, now()), signal, redact });
      // A custom bot returns no message id (data is {}), and it can neither edit nor reply (§6.1).
      if (answer.code === FEISHU_CODE.ok) return {};
      throw feishuFailure(answer, config.throttlePause, redact);
    },
  };
}

/** The bot's token (alone or inside webhookUrl) and the signing secret. */
export function feishuSecrets(config: FeishuChannelConfig): string[] {
  return [config.token, tokenOf(config.webhookUrl), config.secret].filter((s): s is string => Boolean(s));
}

function tokenOf(webhookUrl: string | undefined): string | undefined {
  if (!webhookUrl || !URL.canParse(webhookUrl)) return undefined;
  return new URL(webhookUrl).pathname.split('/').pop() || undefined;
}

/** A sign stays valid for an hour: a dry run shows where it goes, not its value. */
function maskSign(body: Record<string, unknown>): Record<string, unknown> {
  return 'sign' in body ? { ...body, sign: REDACTED } : body;
}
