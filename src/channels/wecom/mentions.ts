import type { Mentions } from '../../mentions/mentions';
import { isMobile } from '../../mentions/mentions';

/** What a WeCom robot message mentions: its channel's own ids, then the message's people. */
export interface WecomMentions {
  userIds: string[];
  mobiles: string[];
  all: boolean;
}

/** The channel's `mentionUserIds`/`mentionMobiles` and the people's `wecom` handles, each once. */
export function wecomMentions(config: { mentionUserIds: string[]; mentionMobiles: string[] }, mentions: Mentions | undefined): WecomMentions {
  const handles = (mentions?.people ?? []).flatMap((person) => (person.wecom ? [person.wecom] : []));
  return {
    userIds: unique([...config.mentionUserIds, ...handles.filter((h) => !isMobile(h))]),
    mobiles: unique([...config.mentionMobiles, ...handles.filter(isMobile)]),
    all: mentions?.all ?? false,
  };
}

/**
 * What a markdown message cannot do: it mentions only by userid (`<@userid>`), never by mobile
 * and never everyone (docs/providers.md §2.2). Said in the delivery's warning, so the operator
 * learns why someone was not notified.
 */
export function markdownMissed(wanted: WecomMentions): string | undefined {
  const missed = [...wanted.mobiles.map((m) => `mobile ${m}`), ...(wanted.all ? ['@all'] : [])];
  if (missed.length === 0) return undefined;
  const fix = wanted.mobiles.length > 0 ? 'give those people a wecom userid, or set msgType: text' : 'set msgType: text';
  return `WeCom markdown cannot mention ${missed.join(', ')}: ${fix}`;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
