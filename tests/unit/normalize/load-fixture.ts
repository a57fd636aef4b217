import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A fixture as the route would hand it over: parsed JSON of unknown shape. */
export function loadFixture(name: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', name), 'utf8'));
}

type Container = Record<string | number, unknown>;

function isContainer(value: unknown): value is Container {
  return typeof value === 'object' && value !== null;
}

/** A deep copy of `body` with the value at `path` replaced; `undefined` removes the key, as on the wire. */
export function withValue(body: unknown, path: readonly (string | number)[], value: unknown): unknown {
  const copy: unknown = structuredClone(body);
  let node: unknown = copy;
  for (const key of path.slice(0, -1)) {
    if (!isContainer(node)) throw new Error(`no object at ${String(key)} in ${path.join('.')}`);
    node = node[key];
  }
  const last = path[path.length - 1];
  if (!isContainer(node) || last === undefined) throw new Error(`cannot set ${path.join('.')}`);
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

/** The value at `path` of a fixture, for tests that build variants from it. */
export function valueAt(body: unknown, path: readonly (string | number)[]): unknown {
  let node: unknown = body;
  for (const key of path) {
    if (!isContainer(node)) return undefined;
    node = node[key];
  }
  return node;
}
