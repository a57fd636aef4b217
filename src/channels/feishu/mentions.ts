import type { Mentions } from '../../mentions/mentions';

/**
 * The message's people in Feishu's syntax (docs/providers.md §6.2): a text message takes
 * `<at user_id="…"></at>`, a card's lark_md `<at id=…></at>`; "all" mentions everyone. Ids were
 * checked when the config loaded ([\w-] only), so none can end the tag early.
 */
export function feishuMentionTags(mentions: Mentions | undefined, msgType: 'text' | 'card'): string {
  const ids = [...(mentions?.people ?? []).flatMap((person) => (person.feishu ? [person.feishu] : [])), ...(mentions?.all ? ['all'] : [])];
  return ids.map((id) => (msgType === 'text' ? `<at user_id="${id}"></at>` : `<at id=${id}></at>`)).join(' ');
}
