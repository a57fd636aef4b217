import { z } from 'zod';
import { sentryEventSchema, sentryMetadataSchema } from './sentry-event-payload';

// Integration Platform envelopes per resource (docs/payloads.md §1.3-1.8) and the legacy WebHooks
// plugin body (§2). Lenient about presence, strict about types; keys not read are not in the
// schemas (stripped, never checked), so a type change there cannot turn an alert into a 400.

const text = z.string().nullish();

/** Every envelope carries the action; checked first so ignored actions need no valid `data`. */
export const sentryActionSchema = z.object({ action: z.string() });

// `actor` and other envelope keys are not read, so they are not checked either.
const envelopeBase = z.object({
  action: z.string(),
  installation: z.object({ uuid: z.string() }),
});

/** The serialized Group (`BaseGroupSerializerResponse`); `count` is a string, `userCount` a number. */
export const sentryIssueSchema = z.object({
  id: z.string(),
  shortId: text,
  title: z.string(),
  culprit: text,
  level: text,
  substatus: text,
  project: z.object({ name: text, slug: z.string() }),
  count: z.string().regex(/^\d+$/, { message: 'expected a decimal count' }).nullish(),
  userCount: z.number().nullish(),
  firstSeen: text,
  lastSeen: text,
  metadata: sentryMetadataSchema.nullish(),
  // Only issue.created carries links; workflow actions (resolved, unresolved, ...) do not.
  web_url: text,
  /** Who works on the issue now, on every action: the same shape as `data.assignee`. */
  assignedTo: z.lazy(() => assigneeSchema).nullish(),
});

/** `data.assignee` of issue.assigned: a user (email only without enhanced privacy) or a team. */
const assigneeSchema = z.object({ type: text, name: text, email: text });

export const sentryIssueEnvelopeSchema = envelopeBase.extend({
  data: z.object({ issue: sentryIssueSchema, resolution_type: text, assignee: assigneeSchema.nullish() }),
});

export const sentryEventAlertEnvelopeSchema = envelopeBase.extend({
  data: z.object({
    event: sentryEventSchema,
    triggered_rule: text,
    issue_alert: z.object({ title: text }).nullish(),
  }),
});

export const sentryErrorEnvelopeSchema = envelopeBase.extend({
  data: z.object({ error: sentryEventSchema }),
});

const alertRuleSchema = z.object({
  id: text,
  name: text,
  aggregate: text,
  query: text,
  environment: text,
  projects: z.array(z.string()).nullish(),
  triggers: z.array(z.object({ label: text })).nullish(),
});

export const sentryMetricAlertEnvelopeSchema = envelopeBase.extend({
  data: z.object({
    metric_alert: z.object({
      id: z.string(),
      identifier: text,
      projects: z.array(z.string()).nullish(),
      title: text,
      date_started: text,
      date_detected: text,
      date_created: text,
      date_closed: text,
      alert_rule: alertRuleSchema.nullish(),
    }),
    description_title: text,
    description_text: text,
    web_url: text,
  }),
});

/** Legacy plugin: `event` tags keep their "sentry:" prefix and it has no datetime, url or issue_id. */
export const sentryLegacySchema = z.object({
  id: z.string(),
  project: text,
  project_name: text,
  project_slug: text,
  logger: text,
  level: text,
  culprit: text,
  message: text,
  url: text,
  triggering_rules: z.array(z.string()).nullish(),
  event: sentryEventSchema.nullish(),
});

export type SentryIssueEnvelope = z.output<typeof sentryIssueEnvelopeSchema>;
export type SentryEventAlertEnvelope = z.output<typeof sentryEventAlertEnvelopeSchema>;
export type SentryErrorEnvelope = z.output<typeof sentryErrorEnvelopeSchema>;
export type SentryMetricAlertEnvelope = z.output<typeof sentryMetricAlertEnvelopeSchema>;
export type SentryLegacyPayload = z.output<typeof sentryLegacySchema>;
