import { z } from 'zod';

// The Sentry event object (`event.as_dict()`, docs/payloads.md §1.6), shared by event_alert, error and
// the legacy plugin. Sentry versions differ a lot and older normalizers emit every key with null,
// so nearly everything is nullish; only types are enforced, so a number where a string belongs is
// still a 400. Keys the gateway does not read are left out of the schema (stripped, never checked),
// so a type change in one of them cannot turn an alert into a 400.

const text = z.string().nullish();

const frameSchema = z.object({
  filename: text,
  abs_path: text,
  module: text,
  function: text,
  lineno: z.number().nullish(),
  in_app: z.boolean().nullish(),
});

const stacktraceSchema = z.object({ frames: z.array(frameSchema.nullable()).nullish() });

const exceptionValueSchema = z.object({
  type: text,
  value: text,
  stacktrace: stacktraceSchema.nullish(),
});

export const sentryMetadataSchema = z.object({
  type: text,
  value: text,
  filename: text,
  function: text,
  title: text,
});

export const sentryEventSchema = z.object({
  event_id: z.string(),
  // The group id: a string on the Integration Platform, but some versions and paths send an int.
  issue_id: z.union([z.string(), z.number()], { error: 'expected a string or a number' }).nullish(),
  title: text,
  message: text,
  culprit: text,
  location: text,
  level: text,
  platform: text,
  environment: text,
  release: text,
  datetime: text,
  timestamp: z.number().nullish(),
  received: z.number().nullish(),
  url: text,
  web_url: text,
  // [key, value] pairs, not a map; values have been seen as null in old data.
  tags: z.array(z.tuple([z.string(), z.string().nullable()])).nullish(),
  exception: z.object({ values: z.array(exceptionValueSchema.nullable()).nullish() }).nullish(),
  // Top-level stack of message events captured with attach_stacktrace.
  stacktrace: stacktraceSchema.nullish(),
  logentry: z.object({ formatted: text }).nullish(),
  metadata: sentryMetadataSchema.nullish(),
});

export type SentryEvent = z.output<typeof sentryEventSchema>;
export type SentryFrame = z.output<typeof frameSchema>;
export type SentryMetadata = z.output<typeof sentryMetadataSchema>;
