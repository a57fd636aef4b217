import type { RenderedMessage } from '../channel';
import { CUT_MARKER, fitUtf8Bytes, utf8Bytes } from '../fit-bytes';
import type { WecomAppChannelConfig } from './config';

/**
 * Sizes of message/send (docs/providers.md §7): text and markdown content 2048 UTF-8 bytes (half
 * the group robot's markdown), textcard title 128 and description 512 characters, url 2048 bytes.
 */
export const WECOM_APP_LIMITS = { contentBytes: 2048, cardTitleChars: 128, cardDescriptionChars: 512, cardUrlBytes: 2048 } as const;

/** The message/send body for this channel's recipients and msgType. */
export function wecomAppRequestBody(config: WecomAppChannelConfig, message: RenderedMessage): Record<string, unknown> {
  return { ...recipients(config), agentid: config.agentId, ...content(config.msgType, message) };
}

function recipients(config: WecomAppChannelConfig): Record<string, string> {
  // "|" separates ids, not commas; toparty and totag are ignored next to touser "@all" (§7.2).
  const fields = { touser: config.toUser, toparty: config.toParty, totag: config.toTag };
  return Object.fromEntries(Object.entries(fields).filter(([, ids]) => ids.length > 0).map(([field, ids]) => [field, ids.join('|')]));
}

function content(msgType: WecomAppChannelConfig['msgType'], message: RenderedMessage): Record<string, unknown> {
  // A text card needs a link (§7.2): an alert without one goes out as a text message.
  if (msgType === 'textcard' && message.url && utf8Bytes(message.url) <= WECOM_APP_LIMITS.cardUrlBytes) {
    return { msgtype: 'textcard', textcard: { title: fitChars(message.title, WECOM_APP_LIMITS.cardTitleChars), description: cardDescription(message), url: message.url } };
  }
  // WeCom cuts a long text silently and may refuse a long markdown: cut both here, by bytes, marked.
  const type = msgType === 'markdown' ? 'markdown' : 'text';
  return { msgtype: type, [type]: { content: fitUtf8Bytes(message.text, WECOM_APP_LIMITS.contentBytes) } };
}

/**
 * The card's description takes <div class="gray|highlight|normal"> lines (§7.2): the first line is
 * highlighted while the alert fires and grey once resolved. The text is plain (the console
 * templates), so a "<" in an alert is made harmless rather than read as markup.
 */
function cardDescription(message: RenderedMessage): string {
  const headline = message.status === 'resolved' ? 'gray' : 'highlight';
  const lines = message.text.split('\n').map((line) => line.trim().replace(/</g, '‹')).filter(Boolean);
  let description = '';
  for (const [index, line] of lines.entries()) {
    const next = `<div class="${index === 0 ? headline : 'normal'}">${line}</div>`;
    const room = WECOM_APP_LIMITS.cardDescriptionChars - chars(description);
    if (chars(next) <= room) {
      description += next;
      continue;
    }
    // The first line that does not fit is cut to the room left, marked, and ends the card.
    const open = `<div class="${index === 0 ? headline : 'normal'}">`;
    const kept = room - chars(open) - chars('</div>');
    if (kept > chars(CUT_MARKER)) description += `${open}${fitChars(line, kept)}</div>`;
    break;
  }
  return description;
}

/** At most `max` code points, the cut marked with "…" and never through a surrogate pair. */
function fitChars(text: string, max: number): string {
  const points = Array.from(text);
  return points.length <= max ? text : `${points.slice(0, max - 1).join('').trimEnd()}${CUT_MARKER}`;
}

function chars(text: string): number {
  return Array.from(text).length;
}
