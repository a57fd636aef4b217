import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema';
import { configFromEnv, ENV_SOURCE } from './env-config';
import { resolveSecretFiles, withSecretFileVariables } from './secret-files';
import { substituteEnv } from './substitute-env';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[], origin: string) {
    super(`Invalid configuration (${origin}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/**
 * The only reader of the environment: GATEWAY_CONFIG names a YAML file, otherwise the
 * environment alone configures the gateway. Process-level settings (PORT, ROLE, LOG_*,
 * WORKER_CONCURRENCY, ADMIN_TOKEN, SENTRY_DSN) come from the environment in both modes and win over the file.
 */
export function loadConfig(processEnv: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  // X_FILE for every variable X, resolved as the variables are read below.
  const { env, problems: variableProblems } = withSecretFileVariables(processEnv, readFile);
  const file = env.GATEWAY_CONFIG;
  const origin = file ? `GATEWAY_CONFIG=${file}` : 'environment';
  const given = file ? readYaml(file, readFile, env) : configFromEnv(env);
  applyProcessEnv(given, env);
  if (variableProblems.length > 0) throw new ConfigError(variableProblems, 'environment');
  // xFile for every secret field x, so the schemas only see x.
  const { raw, problems: fileProblems } = resolveSecretFiles(given, readFile);
  if (fileProblems.length > 0) throw new ConfigError(fileProblems, origin);

  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const path = issue.path.join('.');
        const variable = file ? undefined : ENV_SOURCE[path];
        return `${path || '(root)'}: ${issue.message}${variable ? ` (set ${variable})` : ''}`;
      }),
      origin,
    );
  }
  const config = result.data;
  if (Object.keys(config.channels).length === 0) {
    // Works out of the box: with no provider configured, alerts are printed.
    config.channels.console = { type: 'console' };
  }
  return config;
}

function readYaml(path: string, readFile: (path: string) => string, env: Env): Record<string, unknown> {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    throw new ConfigError([`cannot read the file: ${(err as Error).message}`], `GATEWAY_CONFIG=${path}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new ConfigError([`not valid YAML: ${(err as Error).message}`], `GATEWAY_CONFIG=${path}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new ConfigError(['(root): expected a mapping of settings'], `GATEWAY_CONFIG=${path}`);
  }
  return substituteEnv(doc, env) as Record<string, unknown>;
}

function applyProcessEnv(raw: Record<string, unknown>, env: Env): void {
  if (env.PORT) raw.port = env.PORT;
  if (env.ROLE) raw.role = env.ROLE;
  // The dashboard's password is a deployment secret, like the port: the environment wins over the file.
  if (env.ADMIN_TOKEN) raw.auth = { ...(raw.auth as object | undefined), adminToken: env.ADMIN_TOKEN };
  // Self-monitoring is a deployment setting too: SENTRY_DSN wins over the file.
  if (env.SENTRY_DSN) raw.selfMonitoring = { ...(raw.selfMonitoring as object | undefined), sentryDsn: env.SENTRY_DSN };
  const log = { ...(raw.log as object | undefined) } as Record<string, unknown>;
  if (env.LOG_LEVEL) log.level = env.LOG_LEVEL;
  if (env.LOG_FORMAT) log.format = env.LOG_FORMAT;
  raw.log = log;
  if (env.WORKER_CONCURRENCY) {
    raw.delivery = { ...(raw.delivery as object | undefined), concurrency: Number(env.WORKER_CONCURRENCY) };
  }
}
