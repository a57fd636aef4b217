import type { Mentions } from '../../mentions/mentions';
import { escapeHtml } from '../../render/escape-html';
import { truncateTelegramHtml, visibleLength } from '../../render/truncate-html';

// Telegram counts 4096 characters after entity parsing (docs/providers.md §1.6).
const MAX_CHARS = 4096;

/**
 * The message with a last line mentioning its people: `@username` (Telegram makes it a mention of
 * a chat member), or a `tg://user?id=N` link for a user without one (§1.5). Telegram has no
 * "everyone", so `all` adds nothing. The text is cut so the mentions always fit.
 */
export function withTelegramMentions(text: string, mentions: Mentions | undefined): string {
  const line = (mentions?.people ?? []).flatMap((person) => (person.telegram ? [handle(person.name, person.telegram)] : [])).join(' ');
  if (!line) return text;
  return `${truncateTelegramHtml(text, MAX_CHARS - visibleLength(line) - 2)}\n\n${line}`;
}

function handle(name: string, telegram: string): string {
  if (/^\d+$/.test(telegram)) return `<a href="tg://user?id=${telegram}">${escapeHtml(name)}</a>`;
  return telegram.startsWith('@') ? telegram : `@${telegram}`;
}
