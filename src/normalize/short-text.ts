/**
 * A sender's value quoted inside an answer or a log line: cut to `max` characters and with
 * control characters escaped, so a 1 MB action name or a key holding "\n2026-… error …" can
 * neither bloat an answer nor forge a log line.
 */
export function shortText(value: string, max = 64): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  // JSON escaping covers every control character and lone surrogate; drop the quotes it adds.
  return JSON.stringify(cut).slice(1, -1);
}
