type Env = Record<string, string | undefined>;
type ReadFile = (path: string) => string;

/**
 * Which settings hold a secret, by name, so every channel type gets `xFile` without a change of
 * its own: botToken, accessToken, key, secret, clientSecret, password, webhookUrl (its path is
 * the credential), a DSN.
 */
const SECRET_KEY = /(?:token|secret|password|key|url|dsn)$/i;

/**
 * Docker and Kubernetes secrets are files: every variable `X` the gateway reads (its own, and those
 * a config file names in `${VAR}`) also comes as `X_FILE`, a path whose content, trimmed, is the
 * value (README "Secrets from files"). Resolved when read, so a stray `*_FILE` elsewhere in the
 * environment is never opened; `problems` fills as variables are read.
 */
export function withSecretFileVariables(env: Env, readFile: ReadFile): { env: Env; problems: string[] } {
  const problems: string[] = [];
  const resolved = new Map<string, string | undefined>();
  const lookup = (name: string): string | undefined => {
    const path = env[`${name}_FILE`];
    if (!path) return env[name];
    if (resolved.has(name)) return resolved.get(name);
    let value = env[name];
    if (value) {
      problems.push(`${name}_FILE: set either ${name} or ${name}_FILE, not both`);
    } else {
      const secret = readSecret(path, readFile);
      if (typeof secret === 'string') value = secret;
      else problems.push(`${name}_FILE: ${secret.problem}`);
    }
    resolved.set(name, value);
    return value;
  };
  const view = new Proxy(env, { get: (target, name) => (typeof name === 'string' ? lookup(name) : Reflect.get(target, name)) });
  return { env: view, problems };
}

/**
 * Every secret field `x` of the config also accepts `xFile`: replaced here, before validation, by
 * `x` with the file's trimmed content, so the schemas only ever see `x`. Route matchers (alert
 * labels, not settings) and `tls` blocks (whose caFile, certFile and keyFile are read as files
 * by the TLS setup itself) are left alone.
 */
export function resolveSecretFiles(raw: Record<string, unknown>, readFile: ReadFile): { raw: Record<string, unknown>; problems: string[] } {
  const problems: string[] = [];
  const visit = (value: unknown, path: string[]): unknown => {
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, String(i)]));
    if (typeof value !== 'object' || value === null) return value;
    const mapping = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    // Applied last, so an empty `x: ""` beside `xFile` (an unset ${VAR}) does not undo it.
    const fromFiles: Record<string, string> = {};
    for (const [key, child] of Object.entries(mapping)) {
      const target = key.endsWith('File') ? key.slice(0, -'File'.length) : undefined;
      if (!target || !SECRET_KEY.test(target) || (typeof child !== 'string' && child !== undefined && child !== null)) {
        const skip = (path.length === 0 && key === 'routes') || key === 'tls';
        result[key] = skip ? child : visit(child, [...path, key]);
        continue;
      }
      // An unset ${VAR} leaves an empty string: the same as not given.
      if (!child) continue;
      const where = [...path, key].join('.');
      if (mapping[target] !== undefined && mapping[target] !== '') {
        problems.push(`${where}: set either ${target} or ${key}, not both`);
        continue;
      }
      const secret = readSecret(child, readFile);
      if (typeof secret === 'string') fromFiles[target] = secret;
      else problems.push(`${where}: ${secret.problem}`);
    }
    return Object.assign(result, fromFiles);
  };
  return { raw: visit(raw, []) as Record<string, unknown>, problems };
}

function readSecret(path: string, readFile: ReadFile): string | { problem: string } {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    return { problem: `cannot read ${path}: ${(err as Error).message}` };
  }
  const secret = text.trim();
  return secret ? secret : { problem: `${path} is empty` };
}
