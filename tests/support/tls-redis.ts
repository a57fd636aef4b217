import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from './redis-answers';
import { findFreePort } from './free-port';
import { waitFor } from './wait-for';

/** A redis-server that speaks TLS only, with a certificate from a private CA made for the test. */
export interface TlsRedis {
  port: number;
  /** The name in the server's certificate (not the address it listens on, so servername matters). */
  servername: string;
  files: { ca: string; clientCert: string; clientKey: string };
  cleanup(): Promise<void>;
}

const SERVERNAME = 'redis.internal';

export async function createTlsRedis(): Promise<TlsRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'ngw-redis-tls-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', '-new', ...ecKey, '-keyout', file('ca.key'), '-out', file('ca.crt'), '-days', '1', '-subj', '/CN=ngw test CA');
  for (const [name, subject] of [['server', SERVERNAME], ['client', 'gateway']] as const) {
    openssl('req', '-new', ...ecKey, '-keyout', file(`${name}.key`), '-out', file(`${name}.csr`), '-subj', `/CN=${subject}`);
    writeFileSync(file(`${name}.ext`), `subjectAltName=DNS:${subject}\n`);
    openssl('x509', '-req', '-in', file(`${name}.csr`), '-CA', file('ca.crt'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file(`${name}.crt`), '-days', '1', '-extfile', file(`${name}.ext`));
  }
  const port = await findFreePort();
  // Clients must show a certificate from the same CA (tls-auth-clients yes is Redis's default).
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--tls-cert-file', file('server.crt'), '--tls-key-file', file('server.key'), '--tls-ca-cert-file', file('ca.crt')],
    { stdio: 'ignore' },
  );
  const tls = { ca: readFileSync(file('ca.crt')), cert: readFileSync(file('client.crt')), key: readFileSync(file('client.key')), servername: SERVERNAME };
  await waitFor(() => redisAnswersOver(port, tls), `TLS redis-server on port ${port}`);
  return {
    port,
    servername: SERVERNAME,
    files: { ca: file('ca.crt'), clientCert: file('client.crt'), clientKey: file('client.key') },
    async cleanup() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const redisAnswersOver = (port: number, tls: object) => redisAnswers({ port, host: '127.0.0.1', tls });
