/** The first value that holds visible text; senders use null, "" and whitespace alike for "none". */
export function firstText(...values: readonly (string | null | undefined)[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value.trim() !== '');
}

/** Drops undefined entries, so `extra` holds only facts the sender actually gave. */
export function definedOnly(record: Readonly<Record<string, string | number | undefined>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** `host[:port]` of a URL, or undefined when the sender's value is no URL. */
export function urlHost(url: string | null | undefined): string | undefined {
  return url && URL.canParse(url) ? new URL(url).host : undefined;
}

/** `table[key]` for the table's own keys only: a sender's "constructor" must not reach Object.prototype. */
export function ownValue<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
