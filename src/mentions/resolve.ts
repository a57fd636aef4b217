import type { AlertEvent } from '../normalize/event';
import { compileMatch, type EventMatcher } from '../route/match-routes';
import type { MentionRuleConfig, PeopleConfig, PersonConfig } from './config';
import type { MentionedPerson, Mentions } from './mentions';

/** Who a delivery of this event mentions; undefined for nobody. */
export type MentionResolver = (event: AlertEvent) => Mentions | undefined;

interface CompiledRule {
  matches: EventMatcher;
  people: readonly string[];
  all: boolean;
}

/**
 * Every matching rule adds its people (each once, in config order); a Sentry issue's assignee is
 * mentioned first, with no rule, when some person's `sentry` names them. Names in rules were
 * checked against `people` when the config loaded.
 */
export function createMentionResolver(people: PeopleConfig, rules: readonly MentionRuleConfig[]): MentionResolver {
  const compiled: CompiledRule[] = rules.map((rule) => ({ matches: compileMatch(rule.match), people: rule.people, all: rule.all }));
  const bySentry = new Map<string, string>();
  for (const [name, person] of Object.entries(people)) {
    // The first person claiming a Sentry name wins, as a route's first match would.
    if (person.sentry && !bySentry.has(sentryKey(person.sentry))) bySentry.set(sentryKey(person.sentry), name);
  }

  return (event) => {
    const names = new Set<string>(assignees(event).flatMap((who) => bySentry.get(sentryKey(who)) ?? []));
    let all = false;
    for (const rule of compiled) {
      if (!rule.matches(event)) continue;
      rule.people.forEach((name) => names.add(name));
      all ||= rule.all;
    }
    if (names.size === 0 && !all) return undefined;
    return { people: [...names].map((name) => mentioned(name, people[name]!)), all };
  };
}

/** A Sentry assignee as normalize keeps it: the user's name or email, the team's name (docs/payloads.md §1.4). */
function assignees(event: AlertEvent): string[] {
  if (event.source !== 'sentry') return [];
  return [event.extra.assignee, event.extra.assigneeEmail].filter((v): v is string => typeof v === 'string' && v.length > 0);
}

// Emails and team slugs are not case-sensitive in Sentry; a config written "Lena.Fischer@…" still matches.
function sentryKey(name: string): string {
  return name.trim().toLowerCase();
}

// The chat handles only: the Sentry name served to find the person, no channel writes it.
function mentioned(name: string, person: PersonConfig): MentionedPerson {
  const handles = (['telegram', 'wecom', 'dingtalk', 'slack', 'feishu'] as const).flatMap((key) => (person[key] ? [[key, person[key]] as const] : []));
  return { name, ...Object.fromEntries(handles) };
}
