import { Counter, Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics';

export interface HistoryMetrics {
  written(kind: 'event' | 'outcome'): void;
  writeFailed(kind: 'event' | 'outcome' | 'trim'): void;
}

/** History's own series, in the gateway's registry; `stored` is read from Redis at scrape time. */
export function createHistoryMetrics(registry: Registry, stored: () => Promise<number>): HistoryMetrics {
  const registers = [registry];
  const writes = new Counter({
    name: `${METRIC_PREFIX}history_writes_total`,
    help: 'History records (event) and delivery outcomes (outcome) written.',
    labelNames: ['kind'],
    registers,
  });
  const failures = new Counter({
    name: `${METRIC_PREFIX}history_write_failures_total`,
    help: 'History writes that failed (Redis errors); the alert itself is still delivered.',
    labelNames: ['kind'],
    registers,
  });
  new Gauge({
    name: `${METRIC_PREFIX}history_records`,
    help: 'Alert records the history holds now (bounded by history.maxEvents and history.retention).',
    registers,
    async collect() {
      // A scrape while Redis is away reports nothing new rather than failing the whole scrape.
      this.set(await stored().catch(() => Number.NaN));
    },
  });
  return {
    written: (kind) => writes.inc({ kind }),
    writeFailed: (kind) => failures.inc({ kind }),
  };
}
