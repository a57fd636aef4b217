import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics';

/**
 * What became of an edit of a living message: `edited`; `unchanged` (Telegram "message is not
 * modified", a success); `replaced` (the message was gone or too old, a new one was sent);
 * `failed` (the attempt failed; the queue may retry it).
 */
export type EditOutcome = 'edited' | 'unchanged' | 'replaced' | 'failed';

export interface EditMetrics {
  edit(channel: string, outcome: EditOutcome): void;
}

/** notification_gateway_edits_total{channel,outcome}, in the gateway's own registry. */
export function createEditMetrics(registry: Registry): EditMetrics {
  const edits = new Counter({
    name: `${METRIC_PREFIX}edits_total`,
    help: 'Edits of living messages (repeats, assigned, archived, resolved), by outcome.',
    labelNames: ['channel', 'outcome'],
    registers: [registry],
  });
  return { edit: (channel, outcome) => edits.inc({ channel, outcome }) };
}
