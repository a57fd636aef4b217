import { z } from 'zod';
import { durationMs } from '../../config/duration';
import { httpUrl, optionalString } from '../../config/fields';
import { channelBase, mentions, type Pace } from '../channel-config';

/** DingTalk custom robot: `accessToken` or the whole `webhookUrl`; `secret` for the "sign" security setting. */
export const dingtalkConfigSchema = z
  .object({
    type: z.literal('dingtalk'),
    accessToken: optionalString,
    webhookUrl: httpUrl,
    secret: optionalString,
    keyword: optionalString,
    apiUrl: httpUrl.default('https://oapi.dingtalk.com'),
    msgType: z.enum(['markdown', 'text']).default('markdown'),
    mentionMobiles: mentions,
    mentionUserIds: mentions,
    mentionAll: z.boolean().default(false),
    /** DingTalk throttles a robot for about 10 minutes after 20 messages in a minute (docs/providers.md, DingTalk). */
    throttlePause: durationMs.default(10 * 60_000),
    ...channelBase,
  })
  .strict()
  .refine((c) => Boolean(c.accessToken) !== Boolean(c.webhookUrl), { message: 'set either accessToken or webhookUrl', path: ['accessToken'] });

export type DingtalkChannelConfig = z.output<typeof dingtalkConfigSchema>;

/** 20 messages a minute per robot; the 21st earns a 10-minute throttle (docs/providers.md, DingTalk). */
export const dingtalkPace = (): Pace => ({ max: 20, durationMs: 60_000 });
