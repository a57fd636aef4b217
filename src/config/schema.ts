import { z } from 'zod';
import { byteSize } from './byte-size';
import { durationMs } from './duration';
import { optionalString, requiredString } from './fields';
import { sentrySchema } from '../normalize/config';
import { channelSchema } from '../channels/config';
import { lifecycleSchema } from '../lifecycle/config';
import { GUARDED_ROUTES } from '../ingest/config';
import { historySchema } from '../history/config';
import { redisSchema } from '../queue/config';
import { mentionProblems, mentionsSchema, peopleSchema } from '../mentions/config';
import { localeSchema } from '../render/config';
import { routeSchema, severityProblems } from '../route/config';
import { timeIntervalsSchema, unknownIntervals, zoneName } from '../policy/config';

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
        /**
         * Routes left open although a credential is configured: once any is set, every route that
         * takes alerts, sends or shows state needs one, so an open route must be asked for by name.
         */
        allowOpen: z.array(z.enum(GUARDED_ROUTES, { error: `not a guarded route; one of ${GUARDED_ROUTES.join(', ')}` })).default([]),
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
        // A client that trickles its headers or body holds a socket; these bound how long.
        headersTimeout: durationMs.pipe(z.number().min(1, 'at least 1ms')).default(10_000),
        requestTimeout: durationMs.pipe(z.number().min(1, 'at least 1ms')).default(30_000),
        /** Idle time a kept-alive connection may wait for its next request. */
        keepAliveTimeout: durationMs.default(5_000),
        /** Requests one kept-alive connection may make before the server closes it. */
        maxRequestsPerSocket: z.number().int().min(0).default(1000),
        /** Open connections at once; further ones are closed as they arrive. */
        maxConnections: z.number().int().min(1).default(1024),
        /**
         * Whose X-Forwarded-For to believe for the client address in log lines (express's
         * `trust proxy`: true, a number of hops, or addresses/CIDRs). Off: the socket address.
         */
        trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string().min(1), z.array(z.string().min(1))]).default(false),
      })
      .strict()
      .refine((ingest) => ingest.headersTimeout <= ingest.requestTimeout, { message: 'headersTimeout must not exceed requestTimeout', path: ['headersTimeout'] })
      .prefault({}),
    /** Which Sentry actions notify (sentry.notifyOn); see normalize/config.ts. */
    sentry: sentrySchema,
    dedup: z
      .object({
        window: durationMs.default(5 * 60_000),
        digest: z.boolean().default(true),
        // How long a notification's identity is remembered, so a sender's retry is not sent twice; the
        // longer of this and `window` applies. Lower it only to test repeats: a later retry is a new message.
        remember: durationMs.default(3600_000),
      })
      .strict()
      .prefault({}),
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
        // The longest a provider's "retry after" (Telegram retry_after, a Retry-After header, the
        // robots' throttlePause) pauses a channel: an answer of retry_after 99999999 would
        // otherwise hold every alert for that channel for three years.
        maxRetryAfter: durationMs.pipe(z.number().min(1000, 'at least 1s')).default(3_600_000),
      })
      .strict()
      .prefault({}),
    /** One living message per incident (README, "One message per incident"); see lifecycle/config.ts. */
    lifecycle: lifecycleSchema,
    /** Alert history for GET /events and /ui (README, "History and the web page"); false turns it off. */
    history: historySchema,
    /** The gateway's own unexpected errors to Sentry (env SENTRY_DSN); off when unset. */
    selfMonitoring: z.object({ sentryDsn: optionalString }).strict().prefault({}),
    shutdownGrace: durationMs.default(10_000),
    locale: localeSchema.default('en'),
    timezone: zoneName.default('UTC'),
    channels: z.record(z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only'), channelSchema).default({}),
    routes: z.array(routeSchema).optional(),
    /** Named intervals in Alertmanager's time_intervals shape, for routes' `mute` and `active`. */
    timeIntervals: timeIntervalsSchema,
    /** Who alerts can mention, and which alerts mention whom (README, "Mentions"). */
    people: peopleSchema,
    mentions: mentionsSchema,
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
      for (const message of severityProblems(route)) ctx.addIssue({ code: 'custom', path: ['routes', i, 'match', 'severity'], message });
      for (const { path, message } of unknownIntervals(route, config.timeIntervals)) ctx.addIssue({ code: 'custom', path: ['routes', i, ...path], message });
    });
    for (const { path, message } of mentionProblems(config)) ctx.addIssue({ code: 'custom', path, message });
  });

export type Config = z.output<typeof configSchema>;
