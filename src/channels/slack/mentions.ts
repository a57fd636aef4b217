import type { Mentions } from '../../mentions/mentions';

/**
 * The mrkdwn that mentions the message's people: `<@U…>` each, and `<!channel>` for everyone
 * (docs/providers.md §5.5). Member ids were checked when the config loaded, so none can close the
 * `<…>` early.
 */
export function slackMentionLine(mentions: Mentions | undefined): string {
  const people = (mentions?.people ?? []).flatMap((person) => (person.slack ? [`<@${person.slack}>`] : []));
  return [...people, ...(mentions?.all ? ['<!channel>'] : [])].join(' ');
}
