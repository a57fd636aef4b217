import { parseTelegramHtml } from '../fakes/telegram-html';

/** The text parameter of a sendMessage body the fake Telegram received, as sent. */
export function messageText(body: unknown): string {
  return String((body as { text?: unknown }).text);
}

/** What the chat shows for a sent HTML message; throws where Telegram would have refused it. */
export function shownText(body: unknown): string {
  const parsed = parseTelegramHtml(messageText(body));
  if (!parsed.ok) throw new Error(`Telegram would reject the message: ${parsed.error}`);
  return parsed.text;
}
