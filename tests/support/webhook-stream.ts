import request from 'supertest';
import { alertGroup } from './alert-burst';

/** Webhooks sent one after another until stopped, each answer recorded: what a sender saw during a failover. */
export interface WebhookStream {
  /** Names of the alerts answered 202, in order. */
  accepted: string[];
  /** Answers other than 202, by status (and error code). */
  refused: string[];
  /** Resolves once the answer to the webhook in flight has come. */
  stop(): Promise<void>;
}

/** Each webhook carries one alert named `${label}${n}`; the next is sent when the previous one is answered. */
export function streamWebhooks(url: string, label: string): WebhookStream {
  const accepted: string[] = [];
  const refused: string[] = [];
  let stopping = false;
  const done = (async () => {
    for (let n = 0; !stopping; n++) {
      const name = `${label}${n}`;
      const res = await request(url).post('/webhook/alertmanager').send(alertGroup([name]));
      if (res.status === 202) accepted.push(name);
      else refused.push(`${res.status} ${(res.body as { error?: { code?: string } }).error?.code ?? ''}`.trim());
    }
  })();
  return {
    accepted,
    refused,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

/** How many times each name appears in what was delivered; names never delivered are absent. */
export function deliveryCounts(delivered: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of delivered) counts.set(name, (counts.get(name) ?? 0) + 1);
  return counts;
}
