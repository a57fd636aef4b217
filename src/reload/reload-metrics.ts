import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from '../observability/metrics';

export interface ReloadMetrics {
  /** `at` is when the configuration now running was loaded (start-up counts as the first). */
  succeeded(at: number): void;
  failed(): void;
}

/**
 * The names Prometheus and Alertmanager use for the same facts, so existing "config reload
 * failed" alert rules work with a change of prefix only.
 */
export function createReloadMetrics(registry: Registry, startedAt: number): ReloadMetrics {
  const registers = [registry];
  const successful = new Gauge({
    name: `${METRIC_PREFIX}config_last_reload_successful`,
    help: '1 when the last configuration reload (SIGHUP or POST /-/reload) succeeded, 0 when it was refused and the previous configuration still runs.',
    registers,
  });
  const timestamp = new Gauge({
    name: `${METRIC_PREFIX}config_last_reload_success_timestamp_seconds`,
    help: 'Unix time of the last successful configuration load (start-up or reload).',
    registers,
  });
  const succeeded = (at: number) => {
    successful.set(1);
    timestamp.set(at / 1000);
  };
  succeeded(startedAt);
  return { succeeded, failed: () => successful.set(0) };
}
