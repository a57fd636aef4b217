import { z } from 'zod';
import { durationMs } from '../config/duration';

const optionalPath = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/**
 * Where Redis is and how far to trust it. `tls` turns TLS on (also with a redis:// URL): `caFile`
 * for a private CA, `certFile` + `keyFile` when Redis asks for client certificates, `servername`
 * when the certificate names another host than the URL.
 */
export const redisSchema = z
  .object({
    url: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('redis://127.0.0.1:6379')),
    prefix: z.string().regex(/^[\w.-]+$/, 'letters, digits, "_", "-" and "." only').default('ngw'),
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
  .prefault({});

export type RedisConfig = z.output<typeof redisSchema>;
