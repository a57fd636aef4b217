import { z } from 'zod';
import { byteSize } from './byte-size';
import { durationMs } from './duration';
import { redisSchema } from './redis-schema';
import { sentrySchema } from './sentry-schema';
import { SEVERITIES } from '../normalize/event';
import { regexProblem } from '../route/match-value';

/** Empty strings (an unset ${VAR}) count as "not given", so defaults and "required" work. */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const requiredString = z.preprocess((v) => (v === '' ? undefined : v), z.string({ error: 'required' }));
const apiUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url({ protocol: /^https?$/ }).optional());

const rateLimit = z.object({ max: z.number().int().positive(), per: durationMs }).strict();

export const LOCALES = ['en', 'zh-CN', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];

const channelBase = {
  template: optionalString,
  locale: z.enum(LOCALES).optional(),
  rateLimit: rateLimit.optional(),
};

export const telegramChannelSchema = z
  .object({
    type: z.literal('telegram'),
    botToken: requiredString,
    chatId: z.preprocess(
      (v) => (typeof v === 'number' ? String(v) : v === '' ? undefined : v),
      z.string({ error: 'required' }).regex(/^(-?\d+|@\w+)$/, 'a numeric chat id or @channelusername'),
    ),
    threadId: z.coerce.number().int().positive().optional(),
    apiUrl: apiUrl.default('https://api.telegram.org'),
    disableNotification: z.boolean().default(false),
    ...channelBase,
  })
  .strict();

const mentions = z.array(z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1))).default([]);

/** WeCom group robot: `key` (the UUID from the robot's webhook URL) or the whole `webhookUrl`. */
export const wecomChannelSchema = z
  .object({
    type: z.literal('wecom'),
    key: optionalString,
    webhookUrl: apiUrl,
    apiUrl: apiUrl.default('https://qyapi.weixin.qq.com'),
    msgType: z.enum(['markdown', 'text']).default('markdown'),
    mentionMobiles: mentions,
    mentionUserIds: mentions,
    /** errcode 45009 gives no retry-after; WeCom's 20/min window frees up within a minute (PROVIDERS.md §4.2). */
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

/** DingTalk custom robot: `accessToken` or the whole `webhookUrl`; `secret` for the "sign" security setting. */
export const dingtalkChannelSchema = z
  .object({
    type: z.literal('dingtalk'),
    accessToken: optionalString,
    webhookUrl: apiUrl,
    secret: optionalString,
    keyword: optionalString,
    apiUrl: apiUrl.default('https://oapi.dingtalk.com'),
    msgType: z.enum(['markdown', 'text']).default('markdown'),
    mentionMobiles: mentions,
    mentionUserIds: mentions,
    mentionAll: z.boolean().default(false),
    /** DingTalk throttles a robot for about 10 minutes after 20 messages in a minute (PROVIDERS.md §3.4). */
    throttlePause: durationMs.default(10 * 60_000),
    ...channelBase,
  })
  .strict()
  .refine((c) => Boolean(c.accessToken) !== Boolean(c.webhookUrl), { message: 'set either accessToken or webhookUrl', path: ['accessToken'] });

/**
 * WeCom mentions by mobile only in text messages: a channel that lists mobiles without choosing a
 * msgType (as in DESIGN.md's example) sends text, so the people it names are really notified.
 */
function wecomMsgTypeDefault(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const channel = raw as Record<string, unknown>;
  const mobiles = channel.mentionMobiles;
  return channel.type === 'wecom' && channel.msgType === undefined && Array.isArray(mobiles) && mobiles.length > 0 ? { ...channel, msgType: 'text' } : raw;
}

export const consoleChannelSchema = z.object({ type: z.literal('console'), ...channelBase }).strict();

export const channelSchema = z.discriminatedUnion('type', [telegramChannelSchema, wecomChannelSchema, dingtalkChannelSchema, consoleChannelSchema]);

/** A match value: exact string, "=~regex" (anchored, like Alertmanager), or a list of either. */
const matchString = z.string().superRefine((spec, ctx) => {
  const problem = regexProblem(spec);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const matchValue = z.union([matchString, z.array(matchString).nonempty()]);

const routeSchema = z
  .object({
    match: z
      .object({
        source: matchValue.optional(),
        severity: matchValue.optional(),
        project: matchValue.optional(),
        environment: matchValue.optional(),
        status: matchValue.optional(),
        labels: z.record(z.string(), matchValue).optional(),
      })
      .strict()
      .default({}),
    channels: z.array(z.string()).nonempty(),
  })
  .strict();

export const configSchema = z
  .object({
    port: z.coerce.number().int().min(0).max(65535).default(9000),
    role: z.enum(['all', 'api', 'worker']).default('all'),
    log: z
      .object({ level: z.enum(['error', 'warn', 'info', 'debug']).default('info'), format: z.enum(['text', 'json']).default('text') })
      .strict()
      .prefault({}),
    redis: redisSchema,
    auth: z
      .object({
        /** Shared token for every ingest route: `Authorization: Bearer <t>` or `?token=<t>`. */
        token: optionalString,
        sentry: z
          .object({
            clientSecret: optionalString,
            /** Refuse deliveries whose Sentry-Hook-Timestamp is older than this (off when unset). */
            maxAge: durationMs.optional(),
          })
          .strict()
          .optional(),
        /** Basic auth as Alertmanager's http_config sends it. */
        alertmanager: z.object({ username: requiredString, password: requiredString }).strict().optional(),
        /** Opens /admin/queues (off without it) and /deliveries* (which also take `token`, and are open when neither is set). */
        adminToken: optionalString,
      })
      .strict()
      .prefault({}),
    ingest: z
      .object({
        /**
         * Largest accepted webhook body. Real webhooks are 1-10 KB; a heavy Sentry event (3 chained
         * exceptions x 60 frames with locals, 100 breadcrumbs) is ~615 KiB, and Sentry refuses events
         * over 1 MB itself (tests/unit/ingest/body-limit.test.ts measures these).
         */
        bodyLimit: byteSize.default(1024 * 1024),
      })
      .strict()
      .prefault({}),
    /** Which Sentry actions notify (sentry.notifyOn); see sentry-schema.ts. */
    sentry: sentrySchema,
    dedup: z.object({ window: durationMs.default(5 * 60_000), digest: z.boolean().default(true) }).strict().prefault({}),
    delivery: z
      .object({
        // With 2 s doubling up to 10 min, 24 attempts keep retrying for 78 min at least (about 2 h on average):
        // a provider that is down for an hour loses nothing.
        attempts: z.number().int().min(1).max(100).default(24),
        backoff: durationMs.default(2000),
        timeout: durationMs.default(10_000),
        concurrency: z.number().int().min(1).max(100).default(4),
        // How soon a job whose process died (kill -9, OOM) is sent again by another: BullMQ's job lock
        // lifetime and its stalled-job check interval. Shorter recovers sooner, but an event loop
        // blocked for half of it loses the locks of running jobs, which may then be sent twice.
        stalledInterval: durationMs.pipe(z.number().min(1000, 'at least 1s')).default(30_000),
      })
      .strict()
      .prefault({}),
    shutdownGrace: durationMs.default(10_000),
    locale: z.enum(LOCALES).default('en'),
    timezone: z.string().default('UTC'),
    channels: z.record(z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only'), z.preprocess(wecomMsgTypeDefault, channelSchema)).default({}),
    routes: z.array(routeSchema).optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    config.routes?.forEach((route, i) =>
      route.channels.forEach((name, j) => {
        if (!(name in config.channels)) {
          ctx.addIssue({ code: 'custom', path: ['routes', i, 'channels', j], message: `no channel named "${name}"` });
        }
      }),
    );
    config.routes?.forEach((route, i) => {
      const severities = route.match.severity;
      for (const value of typeof severities === 'string' ? [severities] : (severities ?? [])) {
        if (!value.startsWith('=~') && !(SEVERITIES as readonly string[]).includes(value)) {
          ctx.addIssue({ code: 'custom', path: ['routes', i, 'match', 'severity'], message: `"${value}" is not one of ${SEVERITIES.join(', ')}` });
        }
      }
    });
  });

export type Config = z.output<typeof configSchema>;
export type ChannelConfig = z.output<typeof channelSchema>;
export type TelegramChannelConfig = z.output<typeof telegramChannelSchema>;
export type WecomChannelConfig = z.output<typeof wecomChannelSchema>;
export type DingtalkChannelConfig = z.output<typeof dingtalkChannelSchema>;
export type RouteConfig = NonNullable<Config['routes']>[number];
export type MatchValue = z.output<typeof matchValue>;
