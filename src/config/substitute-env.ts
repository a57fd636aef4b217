/**
 * Replaces ${VAR} and ${VAR:-default} in every string of a parsed YAML document. Working on
 * parsed values (not the raw text) means a variable's content can never change the YAML structure.
 */
export function substituteEnv(value: unknown, env: Record<string, string | undefined>): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      const found = env[name];
      return found !== undefined && found !== '' ? found : (fallback ?? '');
    });
  }
  if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env)]));
  }
  return value;
}
