import { createHash } from 'node:crypto';
import type { AlertEvent } from '../normalize/event';
import type { RouteConfig } from '../route/config';
import { compileRoutes, type CompiledRoute } from '../route/match-routes';
import type { TimeIntervals } from './config';
import { planHold, type Hold, type Policy } from './plan';

interface PolicyRoute extends CompiledRoute {
  policy?: Policy & { key: string; label: string };
}

/** A held alert: which policy holds it (a stable key: the same policy has the same key after a restart) and until when. */
export interface HoldDecision extends Hold {
  policyKey: string;
  /** "digest 1h", "mute nights": how log lines and the summary's title name the policy. */
  label: string;
}

export interface RoutePolicies {
  /** Undefined: send at once. A channel any matching route without a holding policy names gets the alert at once. */
  decide(event: AlertEvent, channel: string, now: number): HoldDecision | undefined;
  /** Whether any route has a policy at all (nothing to do otherwise). */
  readonly any: boolean;
}

/**
 * The routes again, with their digest and mute settings. Decided in the intake worker, not at
 * ingest, because whether a mute holds depends on when the alert is handed on.
 */
export function compileRoutePolicies(routes: RouteConfig[] | undefined, intervals: TimeIntervals, timezone: string, channels: readonly string[]): RoutePolicies {
  const compiled = compileRoutes(routes, channels);
  const withPolicy: PolicyRoute[] = compiled.map((route, i) => {
    const config = routes?.[i];
    if (!config || (!config.digest && !config.mute && !config.active)) return route;
    const lookup = (names: readonly string[] | undefined) => (names ?? []).map((name) => intervals[name] ?? []);
    const policy: Policy = { ...(config.digest && { digest: config.digest }), mute: lookup(config.mute), active: lookup(config.active), timezone };
    // The key names what the policy does, not where the route is: reordering routes keeps pending summaries.
    const key = createHash('sha256').update(JSON.stringify(policy)).digest('hex').slice(0, 16);
    return { ...route, policy: { ...policy, key, label: labelOf(config) } };
  });
  return {
    any: withPolicy.some((route) => route.policy),
    decide(event, channel, now) {
      let held: HoldDecision | undefined;
      for (const route of withPolicy) {
        if (!route.channels.includes(channel) || !route.matches(event)) continue;
        const hold = route.policy && planHold(route.policy, now);
        if (!hold || !route.policy) return undefined;
        held ??= { ...hold, policyKey: route.policy.key, label: route.policy.label };
      }
      return held;
    },
  };
}

function labelOf(route: RouteConfig): string {
  const parts: string[] = [];
  if (route.digest) parts.push(`digest ${humanDuration(route.digest.every)}`);
  if (route.mute) parts.push(`mute ${route.mute.join(', ')}`);
  if (route.active) parts.push(`active ${route.active.join(', ')}`);
  return parts.join('; ');
}

function humanDuration(ms: number): string {
  for (const [unit, size] of [['w', 604_800_000], ['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
