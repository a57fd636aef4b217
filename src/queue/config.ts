import { z } from 'zod';
import { durationMs } from '../config/duration';

const optionalText = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());
const optionalPath = optionalText;

export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const PORT = 'a port number (host:port, e.g. sentinel-1:26379)';

/** A Sentinel or Cluster node: `{host, port}`, or "host:port" (the env form, REDIS_SENTINELS=a:26379,b:26379). */
const redisNode = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const at = v.lastIndexOf(':');
    return at > 0 ? { host: v.slice(0, at), port: v.slice(at + 1) } : { host: v, port: undefined };
  },
  z
    .object({
      host: z.string({ error: 'required' }).min(1, 'required'),
      port: z.coerce.number({ error: PORT }).int(PORT).min(1, PORT).max(65535, PORT),
    })
    .strict(),
);

export type RedisNode = z.output<typeof redisNode>;

const nodeList = z.preprocess((v) => (Array.isArray(v) && v.length === 0 ? undefined : v), z.array(redisNode).min(1).optional());

/**
 * Where Redis is and how far to trust it: one server (`url`, `rediss://` for TLS), a Sentinel
 * group (`sentinels` + `name`), or a Cluster (`cluster`: some of its nodes, the rest is
 * discovered). `password` is the data nodes' password where the URL has none; `sentinelPassword`
 * the sentinels' own. `tls` turns TLS on (also with a redis:// URL): `caFile` for a private CA,
 * `certFile` + `keyFile` when Redis asks for client certificates, `servername` when the
 * certificate names another host than the URL.
 */
export const redisSchema = z
  .object({
    url: optionalText,
    sentinels: nodeList,
    /** The master group's name in the sentinels' config (`sentinel monitor <name> ...`). */
    name: optionalText,
    cluster: nodeList,
    password: optionalText,
    sentinelPassword: optionalText,
    /**
     * Ingest answers 202 only once this many replicas hold the webhook (Redis WAIT), so a failover
     * cannot lose it. 1 with sentinels, 0 otherwise (not with a Cluster: WAIT cannot follow its slots).
     */
    waitReplicas: z.number().int().min(0).max(10).optional(),
    prefix: z
      .string()
      .regex(/^(?:[\w.-]+|\{[\w.-]+\})$/, 'letters, digits, "_", "-" and "." only (or all of it in braces: {ngw})')
      .default('ngw'),
    /** An evicting Redis drops stored alerts without a word; accepting that must be a decision. */
    allowEviction: z.boolean().default(false),
    /** How often maxmemory-policy is read again, and how long without errors ends a Redis or queue error episode. */
    checkInterval: durationMs.pipe(z.number().min(100, 'at least 100ms')).default(30_000),
    tls: z
      .object({ caFile: optionalPath, certFile: optionalPath, keyFile: optionalPath, servername: optionalPath })
      .strict()
      .refine((tls) => Boolean(tls.certFile) === Boolean(tls.keyFile), { message: 'set certFile and keyFile together', path: ['certFile'] })
      .optional(),
  })
  .strict()
  .superRefine((redis, ctx) => {
    const given = (['url', 'sentinels', 'cluster'] as const).filter((key) => redis[key] !== undefined);
    if (given.length > 1) ctx.addIssue({ code: 'custom', path: [given[1]!], message: `set one of url, sentinels or cluster, not ${given.join(' and ')}` });
    if (redis.sentinels && !redis.name) ctx.addIssue({ code: 'custom', path: ['name'], message: 'required with sentinels: the master group name the sentinels monitor' });
    if (redis.name && !redis.sentinels) ctx.addIssue({ code: 'custom', path: ['sentinels'], message: 'required with name: the sentinels to ask for that master' });
    if (redis.sentinelPassword && !redis.sentinels) ctx.addIssue({ code: 'custom', path: ['sentinelPassword'], message: 'only with sentinels' });
    if (redis.waitReplicas && redis.cluster) ctx.addIssue({ code: 'custom', path: ['waitReplicas'], message: 'not with a Cluster: each primary replicates its own slots' });
  })
  .transform(({ url, waitReplicas, ...redis }) => ({
    ...redis,
    url: url ?? DEFAULT_REDIS_URL,
    waitReplicas: waitReplicas ?? (redis.sentinels ? 1 : 0),
    // BullMQ's rule for a Cluster: every key of a queue in one slot, or its Lua scripts fail with
    // CROSSSLOT. A hash-tagged prefix puts every queue and every gateway key (all built on the
    // prefix) in the same slot. A single Redis keeps the plain prefix, so existing keys stay found.
    prefix: redis.cluster && !redis.prefix.startsWith('{') ? `{${redis.prefix}}` : redis.prefix,
  }))
  .prefault({});

export type RedisConfig = z.output<typeof redisSchema>;

/** Which kind of deployment the config names. */
export type RedisTopology = 'single' | 'sentinel' | 'cluster';

export function topologyOf(redis: Pick<RedisConfig, 'sentinels' | 'cluster'>): RedisTopology {
  return redis.cluster ? 'cluster' : redis.sentinels ? 'sentinel' : 'single';
}
