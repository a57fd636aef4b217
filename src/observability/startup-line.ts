import type { Config } from '../config/schema';
import { anyCredential, openRoutes } from '../ingest/auth/route-access';

export interface StartupLine {
  message: string;
  fields: Record<string, string | number>;
}

/**
 * The one line that says what this process is: version, role, channels (names and types, never
 * their credentials), routes, which HTTP routes are open without a credential, and where Redis is
 * (without its password).
 */
export function startupLine(config: Config, version: string | undefined, port: number): StartupLine {
  const routes = config.routes?.length ?? 0;
  return {
    message: `notification-gateway ${version ?? 'unknown version'} listening on :${port}`,
    fields: {
      role: config.role,
      channels: Object.entries(config.channels).map(([name, channel]) => `${name}(${channel.type})`).join(','),
      routes: routes === 0 ? '0 (every channel gets every alert)' : routes,
      redis: redisLocation(config.redis),
      prefix: config.redis.prefix,
      workers: config.role === 'api' ? 'off' : `concurrency ${config.delivery.concurrency} per channel`,
      admin: config.auth.adminToken ? '/admin/queues' : 'off (set ADMIN_TOKEN)',
      open: openRoutesField(config.auth),
    },
  };
}

/** Where Redis is, for a log line: the URL without its password, or the Sentinel group or Cluster nodes. */
export function redisLocation(redis: Config['redis']): string {
  const nodes = (list: ReadonlyArray<{ host: string; port: number }>) => list.map(({ host, port }) => `${host}:${port}`).join(',');
  if (redis.cluster) return `cluster ${nodes(redis.cluster)}`;
  if (redis.sentinels) return `sentinel master "${redis.name ?? ''}" via ${nodes(redis.sentinels)}`;
  return withoutPassword(redis.url);
}

/** `redis://user:***@host:6379/0`: safe for a log line. A URL that does not parse is shown as "(unparsable URL)". */
export function withoutPassword(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The raw text might hold the password; ioredis will say what is wrong with it.
    return '(unparsable URL)';
  }
  if (parsed.password) parsed.password = '***';
  // ioredis also takes the password from the query (`redis://host?password=…`).
  for (const name of [...parsed.searchParams.keys()]) {
    if (/pass/i.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.toString();
}

/** Which routes take requests without any credential, so an accidentally open one shows at start. */
function openRoutesField(auth: Config['auth']): string {
  if (!anyCredential(auth)) return 'every route (no credential configured)';
  const open = openRoutes(auth);
  return open.length === 0 ? 'none' : `${open.join(',')} (auth.allowOpen)`;
}
