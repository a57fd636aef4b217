import { z } from 'zod';
import { durationMs } from '../../config/duration';
import { httpUrl, optionalString } from '../../config/fields';
import { channelBase, mentions, type Pace } from '../channel-config';

/** WeCom group robot: `key` (the UUID from the robot's webhook URL) or the whole `webhookUrl`. */
export const wecomConfigSchema = z
  .object({
    type: z.literal('wecom'),
    key: optionalString,
    webhookUrl: httpUrl,
    apiUrl: httpUrl.default('https://qyapi.weixin.qq.com'),
    msgType: z.enum(['markdown', 'text']).default('markdown'),
    mentionMobiles: mentions,
    mentionUserIds: mentions,
    /** errcode 45009 gives no retry-after; WeCom's 20/min window frees up within a minute (docs/providers.md, WeCom). */
    throttlePause: durationMs.default(60_000),
    ...channelBase,
  })
  .strict()
  .refine((c) => Boolean(c.key) !== Boolean(c.webhookUrl), { message: 'set either key or webhookUrl', path: ['key'] })
  // WeCom markdown can only mention by user id (<@userid>); mobiles work in text messages alone.
  .refine((c) => c.msgType === 'text' || c.mentionMobiles.length === 0, {
    message: 'WeCom markdown cannot mention by mobile: drop msgType: markdown (the channel then sends text messages), or use mentionUserIds',
    path: ['mentionMobiles'],
  });

export type WecomChannelConfig = z.output<typeof wecomConfigSchema>;

/**
 * WeCom mentions by mobile only in text messages: a channel that lists mobiles without choosing a
 * msgType sends text, so the people it names are really notified.
 */
export function wecomMsgTypeDefault(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const channel = raw as Record<string, unknown>;
  const mobiles = channel.mentionMobiles;
  return channel.type === 'wecom' && channel.msgType === undefined && Array.isArray(mobiles) && mobiles.length > 0 ? { ...channel, msgType: 'text' } : raw;
}

/** 20 messages a minute per robot (docs/providers.md, WeCom). */
export const wecomPace = (): Pace => ({ max: 20, durationMs: 60_000 });
