import { z } from 'zod';
import { routeSchema, severityProblems } from '../route/config';

// YAML reads a phone number or a numeric id as a number: take it as the digits it was written with.
const handle = (pattern: RegExp, what: string) =>
  z.preprocess((v) => (typeof v === 'number' ? String(v) : v === '' ? undefined : v), z.string().regex(pattern, what).optional());

/**
 * One person's handle on each provider. Each value goes into markup (`<@id>`, `<at id=…>`,
 * `<@U…>`), so the patterns admit only what the providers' ids are made of: a value cannot
 * start markup of its own.
 */
const personSchema = z
  .object({
    // Telegram usernames are 5-32 letters, digits and "_"; a user without one is mentioned by numeric id.
    telegram: handle(/^(@?[A-Za-z0-9_]{5,32}|\d{1,15})$/, 'an @username or a numeric user id'),
    wecom: handle(/^(\+\d{1,4}-)?[\w.@-]{1,64}$/, 'a WeCom userid or a mobile number'),
    dingtalk: handle(/^(\+\d{1,4}-)?[\w.@-]{1,64}$/, 'a DingTalk mobile number or userId'),
    slack: handle(/^[UW][A-Z0-9]{2,20}$/, 'a Slack member id (U… or W…)'),
    feishu: handle(/^[\w-]{1,64}$/, 'a Feishu open_id (ou_…), user_id or union_id'),
    /** A Sentry assignee as Sentry names it: the user's email or name, or the team's name. */
    sentry: z.preprocess((v) => (v === '' ? undefined : v), z.string().trim().min(1).optional()),
  })
  .strict();

export const peopleSchema = z.record(z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only'), personSchema).default({});

export const mentionRuleSchema = z
  .object({
    /** The same matcher as routes (README, "Routing"). */
    match: routeSchema.shape.match,
    people: z.array(z.string()).default([]),
    all: z.boolean().default(false),
  })
  .strict()
  .refine((rule) => rule.people.length > 0 || rule.all, { message: 'name people, or set all: true', path: ['people'] });

export const mentionsSchema = z.array(mentionRuleSchema).default([]);

export type PeopleConfig = z.output<typeof peopleSchema>;
export type PersonConfig = PeopleConfig[string];
export type MentionRuleConfig = z.output<typeof mentionRuleSchema>;

export interface MentionProblem {
  path: Array<string | number>;
  message: string;
}

/**
 * Cross-field rules, checked once the whole config parsed (beside the routes' channel check): a
 * rule naming nobody we know would silently mention no one, and a misspelt severity never matches.
 */
export function mentionProblems(config: { people: PeopleConfig; mentions: MentionRuleConfig[] }): MentionProblem[] {
  const known = Object.keys(config.people);
  return config.mentions.flatMap((rule, i) => [
    ...rule.people.flatMap((name, j) =>
      Object.hasOwn(config.people, name) ? [] : [{ path: ['mentions', i, 'people', j], message: `no person named "${name}" in people${known.length > 0 ? `; known: ${known.join(', ')}` : ''}` }],
    ),
    ...severityProblems(rule).map((message) => ({ path: ['mentions', i, 'match', 'severity'], message })),
  ]);
}
