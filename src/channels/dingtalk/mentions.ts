import type { Mentions } from '../../mentions/mentions';
import { isMobile } from '../../mentions/mentions';

/** The `at` field of a DingTalk robot message (docs/providers.md §3.2). */
export interface DingtalkAt {
  atMobiles: string[];
  atUserIds: string[];
  isAtAll: boolean;
}

/** The channel's own mentions and the message's people (`dingtalk`: a mobile or a userId), each once. */
export function dingtalkAt(config: { mentionMobiles: string[]; mentionUserIds: string[]; mentionAll: boolean }, mentions: Mentions | undefined): DingtalkAt {
  const handles = (mentions?.people ?? []).flatMap((person) => (person.dingtalk ? [person.dingtalk] : []));
  return {
    atMobiles: unique([...config.mentionMobiles, ...handles.filter(isMobile)]),
    atUserIds: unique([...config.mentionUserIds, ...handles.filter((h) => !isMobile(h))]),
    isAtAll: config.mentionAll || (mentions?.all ?? false),
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
