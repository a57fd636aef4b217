import { z } from 'zod';
import { parseJson, type ProviderAnswer } from '../provider-http';

// The error word of a refused call, read before the answer is classified: a few of them change
// what the channel does next (docs/providers.md §5.4, §5.7) rather than only how it fails.
const apiFailure = z.object({ ok: z.literal(false), error: z.string(), response_metadata: z.object({ messages: z.array(z.string()).optional() }).optional() });

/** Web API: `{"ok":false,"error":…}` (any status); a webhook: its bare error word at 4xx. Undefined for anything else. */
export function slackErrorOf(answer: ProviderAnswer, webApi: boolean): { error: string; details: string[] } | undefined {
  if (answer.cut) return undefined;
  if (!webApi) {
    const word = answer.text.trim();
    return answer.status >= 400 && answer.status < 500 && /^[a-z_]+$/.test(word) ? { error: word, details: [] } : undefined;
  }
  const parsed = apiFailure.safeParse(parseJson(answer.text));
  return parsed.success ? { error: parsed.data.error, details: parsed.data.response_metadata?.messages ?? [] } : undefined;
}

/** Slack refused the Block Kit body: the same content as plain `text` goes through. */
export const FORMATTING_ERRORS = new Set(['invalid_blocks', 'invalid_blocks_format', 'invalid_attachments']);

/**
 * chat.update cannot change that message (gone, not the bot's, the workspace's edit window
 * passed, rich-text blocks, an archived channel): permanent for the edit, so the lifecycle posts
 * a new message (§5.4).
 */
export const NOT_EDITABLE_ERRORS = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed', 'block_mismatch', 'is_inactive']);
