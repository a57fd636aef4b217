/** What a route's config may give for one field (route/config.ts checks it). */
export type MatchValue = string | readonly string[];

/**
 * A match value is an exact string, "=~regex" (anchored, as Alertmanager matchers are), or a
 * list of either, any of which may match. Compiled once, when routes are built.
 */
export type ValueMatcher = (value: string | undefined) => boolean;

export function compileMatchValue(spec: MatchValue): ValueMatcher {
  const tests = (typeof spec === 'string' ? [spec] : spec).map(compileOne);
  return (value) => tests.some((test) => test(value ?? ''));
}

function compileOne(spec: string): (value: string) => boolean {
  if (spec.startsWith('=~')) {
    const regex = new RegExp(`^(?:${spec.slice(2)})$`);
    return (value) => regex.test(value);
  }
  return (value) => value === spec;
}

/** The error text for a regex that does not compile, or undefined when it does. */
export function regexProblem(spec: string): string | undefined {
  if (!spec.startsWith('=~')) return undefined;
  try {
    new RegExp(spec.slice(2));
    return undefined;
  } catch (err) {
    return `invalid regular expression: ${(err as Error).message}`;
  }
}
