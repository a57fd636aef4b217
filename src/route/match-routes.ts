import type { RouteConfig } from './config';
import type { AlertEvent } from '../normalize/event';
import { compileMatchValue, type ValueMatcher } from './match-value';

export type EventMatcher = (event: AlertEvent) => boolean;
export interface CompiledRoute {
  matches: EventMatcher;
  channels: readonly string[];
}

/** Compiles the configured routes; with no routes at all, every channel gets every event. */
export function compileRoutes(routes: RouteConfig[] | undefined, allChannels: readonly string[]): CompiledRoute[] {
  if (!routes) return [{ matches: () => true, channels: allChannels }];
  return routes.map((route) => ({ matches: compileMatch(route.match), channels: route.channels }));
}

/** Every matching route adds its channels; each channel appears once, in configuration order. */
export function matchRoutes(event: AlertEvent, routes: readonly CompiledRoute[]): string[] {
  const names = new Set<string>();
  for (const route of routes) {
    if (route.matches(event)) route.channels.forEach((name) => names.add(name));
  }
  return [...names];
}

export function compileMatch(match: RouteConfig['match']): EventMatcher {
  const fields: Array<[keyof AlertEvent, ValueMatcher]> = [];
  for (const field of ['source', 'severity', 'project', 'environment', 'status'] as const) {
    const spec = match[field];
    if (spec !== undefined) fields.push([field, compileMatchValue(spec)]);
  }
  const labels = Object.entries(match.labels ?? {}).map(([name, spec]) => [name, compileMatchValue(spec)] as const);
  return (event) =>
    fields.every(([field, test]) => test(event[field] as string | undefined)) &&
    labels.every(([name, test]) => test(event.labels[name]));
}
