import type { AlertEvent } from '../../../src/normalize/event';
import type { ParseResult } from '../../../src/normalize/parse-result';

export function eventsOf(result: ParseResult): AlertEvent[] {
  if (result.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(result)}`);
  return result.events;
}

export function onlyEvent(result: ParseResult): AlertEvent {
  const [event, ...rest] = eventsOf(result);
  if (!event || rest.length > 0) throw new Error(`expected exactly one event, got ${JSON.stringify(result)}`);
  return event;
}

export function invalidMessage(result: ParseResult): string {
  if (result.kind !== 'invalid') throw new Error(`expected invalid, got ${JSON.stringify(result)}`);
  return result.message;
}
