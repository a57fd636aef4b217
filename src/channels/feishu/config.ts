import { z } from 'zod';
import { durationMs } from '../../config/duration';
import { httpUrl, optionalString } from '../../config/fields';
import { channelBase, type Pace } from '../channel-config';

/** The path of a custom bot's webhook ends with its token (docs/providers.md §6). */
export const HOOK_PATH = '/open-apis/bot/v2/hook/';

/**
 * Feishu / Lark custom bot (飞书自定义机器人): `token` (the UUID at the end of the webhook URL)
 * or the whole `webhookUrl`; `secret` for the signature setting, `keyword` for the keyword one.
 */
export const feishuConfigSchema = z
  .object({
    type: z.literal('feishu'),
    token: optionalString,
    webhookUrl: httpUrl,
    secret: optionalString,
    keyword: optionalString,
    /** Lark (the international edition) is https://open.larksuite.com. */
    apiUrl: httpUrl.default('https://open.feishu.cn'),
    /** `interactive`: a card with a coloured header; `text`: a plain text message. */
    msgType: z.enum(['interactive', 'text']).default('interactive'),
    /**
     * "too many request" (9499) and 11232 give no retry-after. The gateway's own pacing stays far
     * below 5/s, so a throttle means the bot's 100/min is used up (other senders share it): wait
     * for the minute to free up (docs/providers.md §4.2).
     */
    throttlePause: durationMs.default(60_000),
    ...channelBase,
  })
  .strict()
  .refine((c) => Boolean(c.token) !== Boolean(c.webhookUrl), { message: 'set either token or webhookUrl', path: ['token'] })
  // zod runs refinements even after a field failed: an unparsable URL is already reported.
  .refine((c) => !c.webhookUrl || !URL.canParse(c.webhookUrl) || /\/hook\/[^/]+$/.test(new URL(c.webhookUrl).pathname), {
    message: `a custom bot's webhook URL ends with ${HOOK_PATH}<token>`,
    path: ['webhookUrl'],
  });

export type FeishuChannelConfig = z.output<typeof feishuConfigSchema>;

/**
 * Feishu allows 100 messages a minute and 5 a second per bot (docs/providers.md §6.4). 90 a
 * minute, evenly spaced (about one every 0.7 s), keeps under both with room for other senders.
 */
export const feishuPace = (): Pace => ({ max: 90, durationMs: 60_000 });
