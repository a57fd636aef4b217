import { RE2JS } from 're2js';

/** What a route's config may give for one field (route/config.ts checks it). */
export type MatchValue = string | readonly string[];

/**
 * A match value is an exact string, "=~regex" (anchored, as Alertmanager matchers are), or a
 * list of either, any of which may match. Compiled once, when routes are built.
 *
 * Regexes run on RE2 (re2js, a pure-JS port), as Alertmanager's matchers do: matching time is
 * linear in the label's length whatever the pattern, so an operator's `([a-zA-Z]+\s?)+` cannot
 * stall the process on a 29-character label the way a backtracking engine does (24 s measured).
 * RE2 syntax also means a pattern that works in Alertmanager works here, and one it refuses
 * (look-arounds, back-references) is refused at config load.
 */
export type ValueMatcher = (value: string | undefined) => boolean;

export function compileMatchValue(spec: MatchValue): ValueMatcher {
  const tests = (typeof spec === 'string' ? [spec] : spec).map(compileOne);
  return (value) => tests.some((test) => test(value ?? ''));
}

function compileOne(spec: string): (value: string) => boolean {
  if (spec.startsWith('=~')) {
    const regex = compileRegex(spec.slice(2));
    return (value) => regex.matches(value);
  }
  return (value) => value === spec;
}

function compileRegex(pattern: string): RE2JS {
  // Anchored on both ends and grouped, so `a|b` means "exactly a or exactly b".
  return RE2JS.compile(`^(?:${pattern})$`);
}

/** The error text for a regex that does not compile, or undefined when it does. */
export function regexProblem(spec: string): string | undefined {
  if (!spec.startsWith('=~')) return undefined;
  try {
    compileRegex(spec.slice(2));
    return undefined;
  } catch (err) {
    return `invalid regular expression (RE2 syntax, as Alertmanager): ${(err as Error).message}`;
  }
}
