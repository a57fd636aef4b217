import { z } from 'zod';

// GlitchTip "General (Slack-compatible) webhook" body (docs/payloads.md §3.3). 4.x adds `alias` and
// `sections`, 5.x sends only `text` and `attachments`; both are read. Keys not read are not in the
// schema (stripped, never checked).

const text = z.string().nullish();

const fieldSchema = z.object({ title: z.string(), value: text });

const attachmentSchema = z.object({
  title: z.string(),
  // {GLITCHTIP_URL}/{org}/issues/{id} or /{org}/uptime-monitors/{id}
  title_link: text,
  // The culprit, or the uptime sentence ("The monitored site has gone down.").
  text,
  // The only hint of the level: #e52b50 error/fatal, #4b60b4 info, null anything else.
  color: text,
  // Project, Environment, Server Name, Release, then custom tags; null for uptime alerts.
  fields: z.array(fieldSchema).nullish(),
});

/**
 * MAX_ISSUES_PER_ALERT (default 3) caps the attachments GlitchTip sends; far more than that is
 * not GlitchTip, and each attachment becomes a message.
 */
export const MAX_GLITCHTIP_ATTACHMENTS = 100;

export const glitchtipPayloadSchema = z.object({
  text: z.string(),
  attachments: z
    .array(attachmentSchema)
    .min(1, { message: 'expected at least one attachment' })
    .max(MAX_GLITCHTIP_ATTACHMENTS, { message: `at most ${MAX_GLITCHTIP_ATTACHMENTS} attachments per request` }),
  // 4.x only; activitySubtitle is "[View Issue REPORTS-AB](<link>)", the only place with the short id.
  sections: z.array(z.object({ activitySubtitle: text }).nullable()).nullish(),
});

export type GlitchtipPayload = z.output<typeof glitchtipPayloadSchema>;
export type GlitchtipAttachment = GlitchtipPayload['attachments'][number];
